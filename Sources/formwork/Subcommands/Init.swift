import ArgumentParser
import Formwork
import FormworkRules
import FormworkTemplate

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a .formwork.yml that states a team's conventions, to edit once.",
        discussion: """
        The file names every convention the house rules judge by, with the house's values \
        (the seeds' conventions) and what each one decides; a team changes the values it \
        does not share instead of silencing rules. Written atomically; an existing file is \
        kept unless --force.

        Exit codes: 0 written; 1 the file exists (nothing written); 2 it cannot be written; \
        64 usage error.
        """
    )

    @Argument(help: "The folder (default: the current one).")
    var directory = "."

    @Flag(help: "Replace an existing .formwork.yml.")
    var force = false

    static let text = """
    # Formwork's conventions for the templates in and below this folder (formwork lint, check,
    # lsp). Each house rule that judges by a convention names its key here in its findings.
    # Change what your team does differently; `formwork rules` lists the rules.

    # The profile for templates that name none in Metadata (formwork: {profile: NAME}):
    # ephemeral (destroyable stacks), production (deletion protection, Retain allowed),
    # structural (only what any template needs), or one of yours under `profiles:`.
    profile: ephemeral

    # The parameter every name must carry (NM-01, NM-02, NM-04).
    suffixParameter: EnvironmentSuffix

    # Tags every taggable resource carries (TG-01): a value, a !Ref, or null for any value.
    requiredTags:
      Environment: !Ref EnvironmentSuffix

    # Words that name an environment and must not be hardcoded (HC-01).
    environmentWords: [prod, production, dev, development, stage, staging]

    # Databases' deletion protection (LC-03): forbidden for destroyable stacks, or required.
    deletionProtection: forbidden

    # Whether DeletionPolicy/UpdateReplacePolicy Retain is allowed (LC-01).
    allowRetain: false

    # Alarm thresholds in the metrics' own units (AL-04).
    thresholds: {cpuPercent: 80, latencySeconds: 0.2, replicaLagSeconds: 60, connectionsFraction: 0.8}

    # Uncomment what the team requires (RDS-04, RDS-12, RDS-13, RDS-24, AL-05):
    # backupRetentionDays: 7
    # instanceClasses: [db.r6g.large, db.r6g.xlarge]
    # engineMajorVersion: 16
    # backupReplicationDays: 7
    # evaluationPeriods: 3

    # The network and buckets the team requires (NW-03, NW-04, S3-06):
    # natGateways: 1
    # vpcEndpoints: [rds, sns, logs, events]
    # bucketReplication: required

    # Rules to leave out, bring back, or change in severity:
    # rules:
    #   disable: [HC-04, KM-01]     # KM-01: for teams that do not rotate keys
    #   severity: {TG-03: warning}

    # Paths lint skips, and what `formwork check` does at a repository's root:
    # exclude: ['legacy/**']
    # check:
    #   include: ['infra/**']
    #   canonical: true
    #   app: swift run Infra

    """

    func run() throws {
        let path = (directory.hasSuffix("/") ? directory : directory + "/") + ConfigurationFile.fileName
        if FileIO.exists(path) && !force {
            Output.error("\(path.printable): exists; nothing written (--force replaces it)")
            throw ExitCode(1)
        }
        if case .failure(let error) = FileIO.writeAtomically(Array(Self.text.utf8), to: path) {
            Output.writeFailed(path, error)
            throw ExitCode(2)
        }
        Output.line("wrote \(path.printable)")
    }
}
