import Dispatch
import Synchronization

/// Runs independent jobs on all cores (files to read, lint or diff) and returns their
/// results in the order of the inputs, so that reports stay deterministic.
package enum Parallel {
    package static func map<Input: Sendable, Output: Sendable>(_ inputs: [Input], _ body: @Sendable (Input) -> Output) -> [Output] {
        guard inputs.count > 1 else { return inputs.map(body) }
        let results = Mutex<[Int: Output]>([:])
        DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
            let output = body(inputs[index])
            results.withLock { $0[index] = output }
        }
        return results.withLock { stored in inputs.indices.map { stored[$0]! } }
    }
}
