import Formwork
import FormworkRules
import FormworkTemplate
@testable import ReferenceSystems
import Testing

/// An app's `profiles` verb prints its profiles as `.formwork.yml` settings; `formwork
/// check` lints the app's templates under what it reads back. The two must be the same.
@Suite struct ProfileDocumentTests {
    @Test func theReferenceProfilesReadBackAsThemselves() throws {
        let profiles = ReferenceSystems.profiles
        let text = try YAMLWriter.write(ConfigurationFile.document(profiles: profiles))
        let loaded = try ConfigurationFile.load(bytes: text, name: "profiles").get()
        for profile in profiles {
            let back = try #require(loaded.profiles.named(profile.name))
            #expect(back.suffixParameter == profile.suffixParameter)
            #expect(back.requiredTags.map(\.key) == profile.requiredTags.map(\.key))
            #expect(zip(back.requiredTags, profile.requiredTags).allSatisfy { $0.value == $1.value })
            #expect(back.environmentWords == profile.environmentWords)
            #expect(back.deletionProtectionRequired == profile.deletionProtectionRequired)
            #expect(back.backupRetentionDays == profile.backupRetentionDays)
            #expect(back.instanceClasses == profile.instanceClasses)
            #expect(back.engineMajorVersion == profile.engineMajorVersion)
            #expect(back.backupReplicationDays == profile.backupReplicationDays)
            #expect(back.evaluationPeriods == profile.evaluationPeriods)
            #expect(back.thresholds == profile.thresholds)
            #expect(back.disabledRules == profile.disabledRules)
            #expect(back.severityOverrides == profile.severityOverrides)
        }
        // And a profile with every setting away from its default.
        var custom = Profile(name: "custom", basedOn: .production)
        custom.suffixParameter = "Stage"
        custom.requiredTags = [("Owner", nil), ("Env", .intrinsic("Ref", .string("Stage")))]
        custom.environmentWords = ["qa"]
        custom.evaluationDate = "2026-01-31"
        custom.thresholds.latencySeconds = 0.05
        custom.severityOverrides = ["TG-03": .warning]
        custom.disabledRules.insert("HC-04")
        let again = try ConfigurationFile.load(bytes: YAMLWriter.write(ConfigurationFile.document(profiles: [custom])), name: "custom").get()
        let back = try #require(again.profiles.named("custom"))
        #expect(back.suffixParameter == "Stage" && back.environmentWords == ["qa"] && back.evaluationDate == "2026-01-31")
        #expect(back.requiredTags.count == 2 && back.requiredTags[0].value == nil)
        #expect(back.thresholds == custom.thresholds && back.severityOverrides == custom.severityOverrides)
        #expect(back.disabledRules == custom.disabledRules && back.deletionProtectionRequired)
    }
}
