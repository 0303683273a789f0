extension Stack {
    /// Runs `work` once, in the order given, when the template is first built (`template`,
    /// `compile`, synth): a construct adds its resources there, so that grants and overrides
    /// made after it was created (a statement on its key's policy, a property of its model)
    /// reach the template. Work added while pending work runs runs too.
    public func finally(_ work: @escaping () -> Void) {
        pending.append(work)
    }
}
