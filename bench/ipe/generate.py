#!/usr/bin/env python3
"""Generates realistic IPE policy sets and request streams for benchmarks.

    bench/ipe/generate.py --policies 10000 --requests 2000 --seed 1 \
        -o gen10k.ipe --requests-out gen10k.jsonl

The policy set looks like a platform team's DevOps/SecOps rules:

* approval requirements on changes (`approvals.count >= N where ...`) per
  resource type, environment(s), operation(s), often per service, some
  scoped by risk level or data class;
* attribute requirements (MFA, tickets, encryption, clearance, teams);
* `any` / `all` aggregates;
* guardrail denials with reasons on destructive operations, and a few
  exception-style denials on changes (unsigned images, public buckets);
* a handful of policies with no indexable trigger (no equality or `in` on
  resource.type / environment / action.operation), checked on every request;
* declared enumerations (data classes, tiers) next to the built-in risk
  scale, and metadata on every policy.

Triggers are indexable on resource.type, environment and action.operation
(most also on resource.service) except for those few; there are about 40
policies per resource type, so the policies a request can trigger stay few
as the set grows. The set has no duplicate policies and no policy that
cannot trigger; `runec --analyze` reports only the deliberate overlaps of
the exception-style denials with the policies that can allow the same
requests (docs/ipe-analysis.md).

The request stream (one JSON document per line) mixes requests aimed at a
policy (its trigger holds; its requirement holds or not), requests against
destructive operations, and requests on random resource types, environments
and operations, most of which no policy covers.

Output is a function of the arguments only (seeded `random.Random`).
"""

import argparse
import json
import random
import sys

# Resource kinds; large sets prefix them with a platform ("aws.Bucket"), as
# an enterprise-wide set spans several clouds and clusters.
RESOURCE_KINDS = [
    "Deployment", "Database", "Bucket", "Secret", "Repository", "Cluster",
    "FirewallRule", "IAMRole", "Pipeline", "DNSRecord", "Certificate",
    "Queue", "Topic", "Cache", "LoadBalancer", "ServiceAccount", "Image",
    "Registry", "FeatureFlag", "Function", "Gateway", "VirtualMachine",
    "Disk", "Snapshot", "Volume", "Table", "Dataset", "Model", "Notebook",
    "CronJob", "StatefulSet", "Ingress", "ConfigMap", "Namespace",
    "NodePool", "Backup", "Stream", "SecurityGroup", "Subnet", "VPC",
    "DNSZone", "Key", "IAMPolicy", "User", "Group", "Branch", "PullRequest",
    "Artifact", "Dashboard", "Alert", "LogSink", "AuditLog", "API",
    "Runbook", "Incident", "Warehouse", "Index", "Search", "Mailbox", "Tenant",
]
PLATFORMS = ["", "aws.", "gcp.", "azure.", "k8s.", "onprem.", "edge.",
             "legacy."]
RESOURCE_TYPES = [platform + kind for platform in PLATFORMS
                  for kind in RESOURCE_KINDS]
CHANGE_OPERATIONS = [
    "deploy", "update", "scale", "restart", "rollback", "rotate", "grant",
    "revoke", "create", "export", "merge", "configure",
]
DESTRUCTIVE_OPERATIONS = ["delete", "drop", "purge", "disable-logging"]
READ_OPERATIONS = ["read", "list"]
ENVIRONMENTS = ["production", "staging", "qa", "development", "sandbox"]
RISK_LEVELS = ["low", "medium", "high", "critical"]
DATA_CLASSES = ["public", "internal", "confidential", "restricted"]
TIERS = ["bronze", "silver", "gold", "platinum"]
ROLES = [
    "senior-engineer", "sre", "dba", "security-officer", "release-manager",
    "team-lead", "compliance", "network-admin", "platform-engineer",
]
TEAMS = [
    "payments", "identity", "data", "infra", "growth", "search", "mobile",
    "billing", "risk", "platform", "ml", "support", "ads", "checkout",
]
COMPONENTS = [
    "api", "worker", "web", "gateway", "scheduler", "ingest", "store",
    "cache", "indexer", "notifier", "exporter", "auth", "ledger", "router",
]
PRINCIPAL_KINDS = ["employee", "contractor", "bot"]


def quote(text):
    return json.dumps(text)


def ipe_list(values):
    return "[" + ", ".join(quote(v) for v in values) + "]"


class Generator:
    def __init__(self, policies, seed, first_type=0, with_unindexed=True,
                 name_offset=0):
        self.rng = random.Random(seed)
        self.count = policies
        self.with_unindexed = with_unindexed
        self.name_offset = name_offset
        # About 40 policies per resource type: the policies a request can
        # trigger stay few as the set grows, as in a real estate where
        # more policies mean more kinds of resources.
        n_types = min(len(RESOURCE_TYPES), max(3, policies // 40))
        n_types = min(len(RESOURCE_TYPES) - first_type, n_types)
        self.types = RESOURCE_TYPES[first_type:first_type + n_types]
        n_services = max(4, policies // 4)
        self.services = []
        for i in range(n_services):
            team = TEAMS[i % len(TEAMS)]
            component = COMPONENTS[(i // len(TEAMS)) % len(COMPONENTS)]
            round_ = i // (len(TEAMS) * len(COMPONENTS))
            name = f"{team}-{component}" + (f"-{round_}" if round_ else "")
            self.services.append((name, team))
        self.policies = []  # dicts describing each policy
        self.keys = set()

    # -- policies ---------------------------------------------------------

    def pick_envs(self):
        r = self.rng.random()
        if r < 0.45:
            return ["production"]
        if r < 0.75:
            return ["production", "staging"]
        return self.rng.sample(ENVIRONMENTS, self.rng.randint(1, 3))

    def pick_ops(self, pool, most):
        return sorted(self.rng.sample(pool, self.rng.randint(1, most)))

    def cell(self, ops_pool, most_ops, service_share):
        cell = {
            "type": self.rng.choice(self.types),
            "envs": self.pick_envs(),
            "ops": self.pick_ops(ops_pool, most_ops),
            "service": None,
            "risk": None,
            "data_class": None,
        }
        if self.rng.random() < service_share:
            cell["service"] = self.rng.choice(self.services)
        r = self.rng.random()
        if r < 0.3:
            cell["risk"] = self.rng.choice(RISK_LEVELS[1:])
        elif r < 0.45:
            cell["data_class"] = self.rng.choice(DATA_CLASSES[2:])
        return cell

    def trigger_text(self, cell):
        lines = [f"resource.type == {quote(cell['type'])}"]
        envs = cell["envs"]
        if len(envs) == 1:
            lines.append(f"environment == {quote(envs[0])}")
        else:
            lines.append(f"environment in {ipe_list(envs)}")
        ops = cell["ops"]
        if len(ops) == 1:
            lines.append(f"action.operation == {quote(ops[0])}")
        else:
            lines.append(f"action.operation in {ipe_list(ops)}")
        if cell["service"]:
            lines.append(f"resource.service == {quote(cell['service'][0])}")
        if cell["risk"]:
            lines.append(f"resource.risk_level >= {quote(cell['risk'])}")
        if cell["data_class"]:
            lines.append(
                f"resource.data_class >= {quote(cell['data_class'])}")
        return lines

    def add(self, policy):
        key = (policy["trigger_key"], policy["requirement"])
        if key in self.keys:
            return False
        self.keys.add(key)
        number = self.name_offset + len(self.policies) + 1
        policy["name"] = f"{policy['prefix']}{number:05d}"
        self.policies.append(policy)
        return True

    def metadata(self, severity, owner, tags):
        return [
            f"severity: {severity}",
            f"owner: {quote(owner + '-oncall')}",
            "tags: [" + ", ".join(
                tag if tag.isidentifier() else quote(tag) for tag in tags)
            + "]",
        ]

    def approval_policy(self):
        cell = self.cell(CHANGE_OPERATIONS, 3, 0.7)
        role = self.rng.choice(ROLES)
        n = self.rng.choice([1, 1, 2, 2, 2, 3])
        where = [f"approver.role == {quote(role)}"]
        if self.rng.random() < 0.5:
            where.append("approver.department != requester.department")
        requirement = (f"approvals.count >= {n}\n    where "
                       + "\n    and ".join(where))
        scope = (cell["service"][0] if cell["service"]
                 else cell["type"].lower() + "s")
        envs = " and ".join(cell["envs"])
        intent = (f"{'/'.join(cell['ops']).capitalize()} of {scope} in "
                  f"{envs} need{'s' if n == 1 else ''} {n} approval"
                  f"{'s' if n > 1 else ''} from {role} approvers")
        owner = cell["service"][1] if cell["service"] else "platform"
        return {
            "prefix": "Approve", "cell": cell, "intent": intent,
            "trigger": self.trigger_text(cell),
            "trigger_key": repr(sorted(self.trigger_text(cell))),
            "requirement": "requires\n    " + requirement,
            "metadata": self.metadata(cell["risk"] or "medium", owner,
                                      ["change-management", role]),
            "kind": "approval", "role": role, "n": n,
            "cross_department": len(where) > 1,
        }

    def attribute_policy(self):
        cell = self.cell(CHANGE_OPERATIONS + READ_OPERATIONS, 3, 0.6)
        choice = self.rng.randrange(5)
        if choice == 0:
            requirement, intent, attr = "request.mfa == true", \
                "need multi-factor authentication", ("mfa", True)
        elif choice == 1:
            requirement, intent, attr = "request.ticket != \"\"", \
                "need a change ticket", ("ticket", "CHG-1")
        elif choice == 2:
            requirement, intent, attr = "resource.encrypted == true", \
                "only touch encrypted resources", ("encrypted", True)
        elif choice == 3:
            level = self.rng.choice(RISK_LEVELS[1:])
            requirement = f"principal.clearance >= {quote(level)}"
            intent = f"need {level} clearance or above"
            attr = ("clearance", level)
        else:
            # Every list holds the platform team, so that two such
            # requirements on overlapping triggers never exclude each other.
            others = [t for t in TEAMS if t != "platform"]
            teams = sorted([self.rng.choice(others), "platform"])
            requirement = f"principal.department in {ipe_list(teams)}"
            intent = f"are reserved to the {' and '.join(teams)} teams"
            attr = ("department", teams[0])
        scope = cell["type"].lower() + "s"
        return {
            "prefix": "Require", "cell": cell,
            "intent": f"{'/'.join(cell['ops']).capitalize()} of {scope} "
                      f"in {' and '.join(cell['envs'])} {intent}",
            "trigger": self.trigger_text(cell),
            "trigger_key": repr(sorted(self.trigger_text(cell))),
            "requirement": "requires " + requirement,
            "metadata": self.metadata("high", "security", ["access"]),
            "kind": "attribute", "attr": attr,
        }

    def aggregate_policy(self):
        cell = self.cell(CHANGE_OPERATIONS, 2, 0.7)
        if self.rng.random() < 0.5:
            requirement = ("approvals.any\n    where approver.role == "
                           "\"security-officer\"")
            intent = "need a security officer's approval"
            kind = "any"
        else:
            requirement = ("approvals.count >= 1 and approvals.all\n    "
                           "where approver.team != requester.team")
            intent = "need approvals, all from outside the requester's team"
            kind = "all"
        return {
            "prefix": "Review", "cell": cell,
            "intent": f"{'/'.join(cell['ops']).capitalize()} of "
                      f"{cell['type'].lower()}s {intent}",
            "trigger": self.trigger_text(cell),
            "trigger_key": repr(sorted(self.trigger_text(cell))),
            "requirement": "requires " + requirement,
            "metadata": self.metadata("high", "security", ["review"]),
            "kind": kind,
        }

    def guardrail_policy(self):
        cell = self.cell(DESTRUCTIVE_OPERATIONS, 2, 0.3)
        cell["envs"] = ["production"] if self.rng.random() < 0.7 \
            else ["production", "staging"]
        cell["risk"] = None
        extra = None
        if self.rng.random() < 0.3:
            extra = "principal.kind == \"bot\""
        trigger = self.trigger_text(cell) + ([extra] if extra else [])
        what = "/".join(cell["ops"])
        reason = (f"{what} of {cell['type'].lower()}s in production "
                  f"is not allowed" + (" for bots" if extra else ""))
        return {
            "prefix": "Guard", "cell": cell,
            "intent": f"{'Bots' if extra else 'Nobody'} may {what} "
                      f"{cell['type'].lower()}s in "
                      f"{' or '.join(cell['envs'])}"
                      .replace("Bots may", "Bots may not"),
            "trigger": trigger, "trigger_key": repr(sorted(trigger)),
            "requirement": f"denies with reason {quote(reason)}",
            "metadata": self.metadata("critical", "platform",
                                      ["guardrail", "sox"]),
            "kind": "deny", "bot": extra is not None,
        }

    def exception_policy(self):
        cell = self.cell(["deploy", "update", "configure"], 2, 0.7)
        cell["envs"] = ["production"]
        cell["risk"] = cell["data_class"] = None
        if self.rng.random() < 0.5:
            condition, reason = "resource.image_signed == false", \
                "image signature not verified"
            attr = ("image_signed", False)
        else:
            condition, reason = "resource.public == true", \
                "public exposure is not allowed in production"
            attr = ("public", True)
        trigger = self.trigger_text(cell) + [condition]
        return {
            "prefix": "Deny", "cell": cell,
            "intent": f"{cell['type']}s in production: {reason}",
            "trigger": trigger, "trigger_key": repr(sorted(trigger)),
            "requirement": f"denies with reason {quote(reason)}",
            "metadata": self.metadata("critical", "security",
                                      ["supply-chain"]),
            "kind": "deny", "attr": attr,
        }

    # Triggers with no equality or `in` on the index fields; the negated
    # `in` keeps them off destructive operations, which guardrails deny.
    UNINDEXED = [
        ("Critical-risk changes need a security officer",
         ["resource.risk_level == \"critical\"",
          "not (action.operation in " + ipe_list(DESTRUCTIVE_OPERATIONS)
          + ")"],
         "requires approvals.any\n    where approver.role == "
         "\"security-officer\""),
        ("Contractors touching confidential data need a team lead",
         ["principal.kind == \"contractor\"",
          "resource.data_class >= \"confidential\"",
          "not (action.operation in " + ipe_list(DESTRUCTIVE_OPERATIONS)
          + ")"],
         "requires approvals.count >= 1\n    where approver.role == "
         "\"team-lead\""),
        ("Platinum-tier tenants' resources need compliance sign-off",
         ["resource.tier >= \"platinum\"",
          "not (action.operation in " + ipe_list(DESTRUCTIVE_OPERATIONS)
          + ")"],
         "requires approvals.any\n    where approver.role == \"compliance\""),
        ("Bots act only through signed pipelines",
         ["principal.kind == \"bot\"",
          "not (action.operation in " + ipe_list(DESTRUCTIVE_OPERATIONS)
          + ")"],
         "requires request.pipeline_signed == true"),
        ("Restricted data leaves only with two compliance approvals",
         ["resource.data_class == \"restricted\"",
          "not (action.operation in " + ipe_list(DESTRUCTIVE_OPERATIONS)
          + ")", "request.destination != \"internal\""],
         "requires approvals.count >= 2\n    where approver.role == "
         "\"compliance\""),
    ]

    def generate(self):
        n_unindexed = max(1, min(len(self.UNINDEXED), self.count // 200))
        if not self.with_unindexed:
            n_unindexed = 0
        for intent, trigger, requirement in self.UNINDEXED[:n_unindexed]:
            self.add({
                "prefix": "Global", "cell": None, "intent": intent,
                "trigger": trigger, "trigger_key": repr(trigger),
                "requirement": requirement,
                "metadata": self.metadata("high", "security", ["global"]),
                "kind": "global",
            })
        makers = [
            (0.50, self.approval_policy),
            (0.15, self.attribute_policy),
            (0.10, self.aggregate_policy),
            (0.24, self.guardrail_policy),
            (0.01, self.exception_policy),
        ]
        attempts = 0
        while len(self.policies) < self.count:
            attempts += 1
            if attempts > self.count * 50:
                sys.exit("generate.py: cannot make enough distinct policies")
            r = self.rng.random()
            for share, maker in makers:
                if r < share:
                    self.add(maker())
                    break
                r -= share
        return self.policies

    def write_policies(self, out):
        out.write("# Generated by bench/ipe/generate.py; do not edit.\n\n")
        out.write("enum DataClass { " + ", ".join(DATA_CLASSES) + " }\n")
        out.write("enum Tier { " + ", ".join(TIERS) + " }\n\n")
        for policy in self.policies:
            out.write(f"policy {policy['name']}:\n")
            out.write(f"  {quote(policy['intent'])}\n")
            out.write("  triggers when\n    ")
            out.write("\n    and ".join(policy["trigger"]))
            out.write("\n  " + policy["requirement"] + "\n")
            out.write("  metadata\n    " + "\n    ".join(policy["metadata"]))
            out.write("\n\n")

    # -- requests ---------------------------------------------------------

    def base_request(self):
        team = self.rng.choice(TEAMS)
        return {
            "resource": {
                "type": self.rng.choice(self.types),
                "service": self.rng.choice(self.services)[0],
                # Most resources are neither critical nor restricted nor
                # platinum: the global policies apply to a few requests.
                "risk_level": self.rng.choices(RISK_LEVELS,
                                               [40, 35, 20, 5])[0],
                "data_class": self.rng.choices(DATA_CLASSES,
                                               [30, 50, 15, 5])[0],
                "tier": self.rng.choices(TIERS, [40, 35, 20, 5])[0],
                "image_signed": self.rng.random() < 0.95,
                "public": self.rng.random() < 0.05,
                "encrypted": self.rng.random() < 0.9,
            },
            "environment": self.rng.choice(ENVIRONMENTS),
            "action": {"operation": self.rng.choice(
                CHANGE_OPERATIONS + READ_OPERATIONS)},
            "request": {
                "principal": {
                    "id": f"user{self.rng.randrange(5000)}",
                    "department": team,
                    "team": team,
                    "kind": self.rng.choices(PRINCIPAL_KINDS,
                                             [0.8, 0.1, 0.1])[0],
                    "clearance": self.rng.choice(RISK_LEVELS),
                },
                "mfa": self.rng.random() < 0.8,
                "ticket": "CHG-" + str(self.rng.randrange(100000))
                if self.rng.random() < 0.8 else "",
                "pipeline_signed": self.rng.random() < 0.9,
                "destination": self.rng.choices(["internal", "partner"],
                                                [85, 15])[0],
            },
            "approvals": [],
        }

    def approvals(self, count, role, outside_of=None):
        result = []
        for i in range(count):
            team = self.rng.choice([t for t in TEAMS if t != outside_of])
            result.append({"id": f"approver{self.rng.randrange(5000)}",
                           "role": role, "department": team, "team": team})
        return result

    def aimed_request(self, policy, satisfy):
        request = self.base_request()
        cell = policy["cell"]
        resource = request["resource"]
        resource["type"] = cell["type"]
        request["environment"] = self.rng.choice(cell["envs"])
        request["action"]["operation"] = self.rng.choice(cell["ops"])
        if cell["service"]:
            resource["service"] = cell["service"][0]
        if cell["risk"]:
            resource["risk_level"] = self.rng.choice(
                RISK_LEVELS[RISK_LEVELS.index(cell["risk"]):])
        if cell["data_class"]:
            resource["data_class"] = self.rng.choice(
                DATA_CLASSES[DATA_CLASSES.index(cell["data_class"]):])
        principal = request["request"]["principal"]
        if satisfy:
            # Keep the global (unindexed) policies out of the way, so that
            # a request meant to be allowed is.
            if resource["risk_level"] == "critical" and cell["risk"] != \
                    "critical":
                resource["risk_level"] = cell["risk"] or "medium"
            if resource["data_class"] == "restricted" and \
                    cell["data_class"] != "restricted":
                resource["data_class"] = cell["data_class"] or "internal"
            resource["tier"] = "gold"
            principal["kind"] = "employee"
            request["request"]["pipeline_signed"] = True
            resource["image_signed"] = True
            resource["public"] = False
        kind = policy["kind"]
        if kind == "approval":
            n = policy["n"] if satisfy else self.rng.randrange(policy["n"])
            request["approvals"] = self.approvals(
                n, policy["role"], principal["department"])
        elif kind == "attribute":
            name, value = policy["attr"]
            target = principal if name in ("clearance", "department") \
                else resource if name == "encrypted" else request["request"]
            if satisfy:
                if name == "clearance":
                    value = self.rng.choice(
                        RISK_LEVELS[RISK_LEVELS.index(value):])
                target[name] = value
            else:
                target[name] = {"mfa": False, "ticket": "",
                                "encrypted": False, "clearance": "low",
                                "department": "nobody"}[name]
        elif kind in ("any", "all"):
            role = "security-officer"
            request["approvals"] = self.approvals(
                1 if satisfy else 0, role, principal["team"])
        elif kind == "deny":
            if "attr" in policy:
                name, value = policy["attr"]
                resource[name] = value
            if policy.get("bot"):
                principal["kind"] = "bot"
        return request

    def requests(self, count):
        aimed = [p for p in self.policies if p["cell"] is not None]
        for _ in range(count):
            r = self.rng.random()
            if r < 0.65 and aimed:
                policy = self.rng.choice(aimed)
                yield self.aimed_request(policy, self.rng.random() < 0.6)
            elif r < 0.75:
                request = self.base_request()
                request["environment"] = "production"
                request["action"]["operation"] = self.rng.choice(
                    DESTRUCTIVE_OPERATIONS)
                yield request
            else:
                request = self.base_request()
                request["approvals"] = self.approvals(
                    self.rng.randrange(3), self.rng.choice(ROLES))
                yield request


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--policies", type=int, required=True,
                        help="number of policies (at least 1)")
    parser.add_argument("--requests", type=int, default=1000,
                        help="number of requests (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", required=True,
                        help="the .ipe file to write")
    parser.add_argument("--requests-out",
                        help="the JSON-lines request file to write")
    parser.add_argument(
        "--embed", type=int, metavar="N0",
        help="the flat-cost set: its first N0 policies and its whole request "
             "stream are exactly those of --policies N0 (same seed); the "
             "other policies cover other resource types and have indexable "
             "triggers, so the requests trigger the same policies as in the "
             "N0 set and only the size of the set differs")
    args = parser.parse_args()
    if args.policies < 1 or args.requests < 0:
        parser.error("--policies must be positive, --requests not negative")
    if args.embed is not None and not 1 <= args.embed < args.policies:
        parser.error("--embed N0 needs 1 <= N0 < --policies")
    base = args.embed if args.embed is not None else args.policies
    generator = Generator(base, args.seed)
    generator.generate()
    # The request stream comes from the base set alone, before any other
    # policy exists, so it is the same stream `--policies N0` writes.
    requests = (list(generator.requests(args.requests))
                if args.requests_out else [])
    if args.embed is not None:
        filler = Generator(args.policies - base, args.seed + 1,
                           first_type=len(generator.types),
                           with_unindexed=False, name_offset=base)
        generator.policies.extend(filler.generate())
    with open(args.output, "w") as out:
        generator.write_policies(out)
    if args.requests_out:
        with open(args.requests_out, "w") as out:
            for request in requests:
                out.write(json.dumps(request, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
