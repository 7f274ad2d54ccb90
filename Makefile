# Conveniences; the README's two commands are scripts/run and scripts/test, which need no make.
.PHONY: run test bench
run:
	scripts/run
test:
	scripts/test
bench:
	scripts/bench
