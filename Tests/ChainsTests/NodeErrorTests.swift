import Chains
import CofferBase
import Testing

@Suite struct NodeErrorTests {
    @Test func anUnreachableOrGarbledNodeIsRetryableAndARefusalIsNot() {
        #expect(NodeError.unreachable("down").isRetryable)
        #expect(NodeError.garbage("not JSON").isRetryable)
        #expect(!NodeError.refused("bad-txns").isRetryable)
        #expect(NodeError.refused("bad-txns").category == .rejected)
    }
}
