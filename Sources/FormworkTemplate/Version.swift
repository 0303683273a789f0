/// Formwork's version: what `--version`, SARIF reports and an app's check print. Set here
/// only.
package enum FormworkVersion {
    package static let current = "0.3.0"
}
