import FormworkTemplate

extension Output {
    /// A file that could not be written (`--output-file`, `fmt --write`, `synth`, SARIF): a
    /// `PS-00` error placed at the file's 1:1, its name made printable like every other.
    package static func writeFailed(_ path: String, _ error: FileIO.Failure) {
        report([TemplateReader.diagnostic(for: error, file: path)])
    }
}
