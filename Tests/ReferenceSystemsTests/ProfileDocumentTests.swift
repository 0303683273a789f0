import Formwork
import FormworkTestSupport
import FormworkRuleKit
import FormworkRules
import FormworkTemplate
@testable import ReferenceSystems
import Testing

/// An app's `profiles` verb prints its profiles as `.formwork.yml` settings; `formwork
/// check` lints the app's templates under what it reads back. The two must be the same.
@Suite struct ProfileDocumentTests {
    /// The repository's `.formwork.yml` names the reference systems' profiles (so that
    /// `formwork lint` and the language server know them without the app): each is the app's
    /// own, setting for setting.
    @Test func theRepositoryConfigurationHoldsTheAppsProfiles() throws {
        let loaded = try ConfigurationFile.load(Repository.root + "/.formwork.yml").get()
        for profile in ReferenceSystems.profiles {
            let written = try #require(loaded.profiles.named(profile.name), "\(profile.name) is missing from .formwork.yml's profiles")
            #expect(try YAMLWriter.write(ConfigurationFile.document(profiles: [written])) == YAMLWriter.write(ConfigurationFile.document(profiles: [profile])),
                    "\(profile.name) in .formwork.yml differs from the app's (`swift run reference-systems profiles` prints the app's)")
        }
    }

    @Test func theReferenceProfilesReadBackAsThemselves() throws {
        let profiles = ReferenceSystems.profiles
        let text = try YAMLWriter.write(ConfigurationFile.document(profiles: profiles))
        let loaded = try ConfigurationFile.load(bytes: text, name: "profiles").get()
        for profile in profiles {
            let back = try #require(loaded.profiles.named(profile.name))
            #expect(back.naming.suffixParameter == profile.naming.suffixParameter)
            #expect(back.tagging.requiredTags.map(\.key) == profile.tagging.requiredTags.map(\.key))
            #expect(zip(back.tagging.requiredTags, profile.tagging.requiredTags).allSatisfy { $0.value == $1.value })
            #expect(back.hardcoding.environmentWords == profile.hardcoding.environmentWords)
            #expect(back.lifecycle.deletionProtectionRequired == profile.lifecycle.deletionProtectionRequired)
            #expect(back.rds.backupRetentionDays == profile.rds.backupRetentionDays)
            #expect(back.rds.instanceClasses == profile.rds.instanceClasses)
            #expect(back.rds.engineMajorVersion == profile.rds.engineMajorVersion)
            #expect(back.rds.backupReplicationDays == profile.rds.backupReplicationDays)
            #expect(back.alarms.evaluationPeriods == profile.alarms.evaluationPeriods)
            #expect(back.alarms.thresholds == profile.alarms.thresholds)
            #expect(back.disabledRules == profile.disabledRules)
            #expect(back.severityOverrides == profile.severityOverrides)
        }
        // And a profile with every setting away from its default.
        var custom = Profile(name: "custom", basedOn: .production)
        custom.naming.suffixParameter = "Stage"
        custom.tagging.requiredTags = [("Owner", nil), ("Env", .intrinsic("Ref", .string("Stage")))]
        custom.hardcoding.environmentWords = ["qa"]
        custom.evaluationDate = "2026-01-31"
        custom.alarms.thresholds.latencySeconds = 0.05
        custom.severityOverrides = ["TG-03": .warning]
        custom.disabledRules.insert("HC-04")
        let again = try ConfigurationFile.load(bytes: YAMLWriter.write(ConfigurationFile.document(profiles: [custom])), name: "custom").get()
        let back = try #require(again.profiles.named("custom"))
        #expect(back.naming.suffixParameter == "Stage" && back.hardcoding.environmentWords == ["qa"] && back.evaluationDate == "2026-01-31")
        #expect(back.tagging.requiredTags.count == 2 && back.tagging.requiredTags[0].value == nil)
        #expect(back.alarms.thresholds == custom.alarms.thresholds && back.severityOverrides == custom.severityOverrides)
        #expect(back.disabledRules == custom.disabledRules && back.lifecycle.deletionProtectionRequired)
    }
}
