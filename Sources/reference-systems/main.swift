// The reference systems as a program of their own, the way a user's app is one:
// `swift run reference-systems synth|check|diff|lint|list`.
import ReferenceSystems

ReferenceSystems.main()
