//===- IpeAnalysis.cpp - Conflict analysis of IPE policy sets -------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Pairs of policies are only checked when an index allows them to meet: for
// the (at most three) fields that most policies pin to finite value sets
// (`resource.type == "A"`, `environment in [..]`), two policies whose sets
// are disjoint on one of them cannot both trigger. That keeps 10,000
// policies to the pairs that share a resource type and environment.
//
//===----------------------------------------------------------------------===//

#include "rune/Analysis/IpeAnalysis.h"
#include "rune/Analysis/IpeConstraints.h"
#include "rune/Analysis/IpeFormula.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

#include <algorithm>
#include <functional>
#include <map>

using namespace rune;
using namespace rune::ipe;
using namespace rune::ipe::analysis;

namespace {

/// Index fields taken into account when pairing policies.
constexpr unsigned MaxIndexFields = 3;
/// Contradiction notes printed per finding (one per alternative of an
/// `or`).
constexpr unsigned MaxCoresShown = 3;

struct PolicyInfo {
  const Policy *policy = nullptr;
  std::vector<Atom> atoms;
  /// The trigger's conjunctions that can hold (nullopt: too large).
  std::optional<Dnf> trigger;
  /// Requirement conjunctions (requires policies; nullopt: too large or a
  /// denies policy).
  std::optional<Dnf> requirement;
  bool isDeny = false;
  /// Can this policy allow some request (requires with a satisfiable
  /// trigger-and-requirement)?
  bool canAllow = false;
  /// Pairs (trigger conjunction, requirement conjunction) that can hold.
  std::vector<std::pair<unsigned, unsigned>> allowRegion;
  /// Per index field: the values the trigger pins the field to (sorted
  /// value ids), or nullopt for any value.
  std::optional<std::vector<unsigned>> indexValues[MaxIndexFields];
  /// The same sets as bit masks (value id modulo 64; a collision only
  /// makes two policies look like they may meet), for the pairing test.
  uint64_t indexMasks[MaxIndexFields] = {};
  /// Fields read by the trigger and by the requirement (sorted, unique).
  std::vector<unsigned> triggerFields, requirementFields;
  std::string duplicateKey;
};

enum class FindingKind {
  NeverTrigger,
  NeverAllow,
  Duplicate,
  DenyAllow,
  RequirementConflict
};

struct Finding {
  FindingKind kind;
  unsigned policy; // where the warning is reported
  unsigned other;  // the other policy, when there is one
  std::function<void()> emit;
};

class Analyzer {
public:
  Analyzer(const PolicyFile &file, DiagnosticEngine &diags)
      : file(file), diags(diags), builder(fields, enums) {}

  AnalysisSummary run();

private:
  void buildPolicy(PolicyInfo &info);
  void computeIndex();
  std::vector<unsigned> candidatesFor(unsigned policy);
  bool mayMeet(const PolicyInfo &a, const PolicyInfo &b) const;

  void findNeverTrigger(unsigned index, const std::vector<Dnf> &unsatisfied);
  void findDuplicates();
  void checkDenyAllow(unsigned deny, unsigned allow);
  void checkRequirements(unsigned first, unsigned second);

  /// Atoms of conjunctions of (possibly different) policies.
  static void gather(const PolicyInfo &info, const Conjunction &conjunction,
                     std::vector<const Atom *> &out) {
    for (unsigned atom : conjunction)
      out.push_back(&info.atoms[atom]);
  }

  void emitCore(const ConjunctionCheck &check,
                llvm::ArrayRef<const Atom *> atoms);
  void emitAssumptions(const ConjunctionCheck &check);
  /// Whether both triggers are true on the witness; sets `json`.
  bool confirm(const Witness &witness, const Policy &a, const Policy &b,
               std::string &json) const;

  const PolicyFile &file;
  DiagnosticEngine &diags;
  EnumOrders enums;
  FieldTable fields;
  FormulaBuilder builder;
  std::vector<PolicyInfo> infos;
  std::vector<Finding> findings;
  AnalysisSummary summary;
  /// Index fields and, per field, value text -> id.
  std::vector<unsigned> indexFields;
  std::vector<llvm::StringMap<unsigned>> indexValueIds;
};

std::string quoted(llvm::StringRef name) { return "'" + name.str() + "'"; }

std::vector<unsigned> fieldsOf(const PolicyInfo &info, const Dnf &dnf) {
  std::vector<unsigned> out;
  for (const Conjunction &conjunction : dnf)
    for (unsigned atom : conjunction) {
      const Atom &a = info.atoms[atom];
      if (a.kind == Atom::Kind::Compare || a.kind == Atom::Kind::In)
        out.push_back(a.field);
    }
  llvm::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool intersects(llvm::ArrayRef<unsigned> a, llvm::ArrayRef<unsigned> b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j])
      return true;
    if (a[i] < b[j])
      ++i;
    else
      ++j;
  }
  return false;
}

} // namespace

void Analyzer::buildPolicy(PolicyInfo &info) {
  const Policy &policy = *info.policy;
  const Requirement &req = policy.requirement;
  info.isDeny = req.kind == Requirement::Kind::Denies;
  std::string key = canonicalText(*policy.trigger) + " | ";
  if (info.isDeny) {
    key += "denies";
  } else {
    key += "requires " + canonicalText(*req.condition);
    if (req.where)
      key += " where " + canonicalText(*req.where);
  }
  info.duplicateKey = std::move(key);

  std::optional<Dnf> trigger = builder.build(*policy.trigger, info.atoms);
  if (!trigger) {
    ++summary.skipped;
    return;
  }
  // Keep the conjunctions that can hold; report the policy if none can.
  Dnf satisfiable;
  std::vector<Dnf> unsatisfied;
  for (Conjunction &conjunction : *trigger) {
    std::vector<const Atom *> atoms;
    gather(info, conjunction, atoms);
    if (checkConjunction(atoms, fields, enums).satisfiable)
      satisfiable.push_back(std::move(conjunction));
    else
      unsatisfied.push_back({conjunction});
  }
  info.trigger = std::move(satisfiable);
  info.triggerFields = fieldsOf(info, *info.trigger);
  unsigned index = &info - infos.data();
  if (info.trigger->empty()) {
    findNeverTrigger(index, unsatisfied);
    return;
  }
  if (info.isDeny)
    return;

  info.requirement = builder.build(*req.condition, info.atoms, req.where.get());
  if (!info.requirement) {
    // Too large to decide: assume it can allow, but take part in no
    // requirement conflict.
    info.canAllow = true;
    return;
  }
  info.requirementFields = fieldsOf(info, *info.requirement);
  for (unsigned t = 0; t < info.trigger->size(); ++t)
    for (unsigned r = 0; r < info.requirement->size(); ++r) {
      std::vector<const Atom *> atoms;
      gather(info, (*info.trigger)[t], atoms);
      gather(info, (*info.requirement)[r], atoms);
      if (checkConjunction(atoms, fields, enums).satisfiable)
        info.allowRegion.push_back({t, r});
    }
  info.canAllow = !info.allowRegion.empty();
  if (info.canAllow)
    return;

  // The requirement never holds when the policy triggers.
  ++summary.neverAllow;
  std::vector<const Atom *> atoms;
  gather(info, info.trigger->front(), atoms);
  gather(info, info.requirement->front(), atoms);
  ConjunctionCheck check =
      checkConjunction(atoms, fields, enums, /*wantCore=*/true);
  findings.push_back(
      {FindingKind::NeverAllow, index, index, [this, index, atoms, check] {
         const Policy &policy = *infos[index].policy;
         diags.warning(policy.nameRange.Start,
                       "policy " + quoted(policy.name) +
                           " can never allow: its requirement cannot hold "
                           "on a request that triggers it",
                       {policy.nameRange});
         emitCore(check, atoms);
         emitAssumptions(check);
       }});
}

void Analyzer::findNeverTrigger(unsigned index,
                                const std::vector<Dnf> &unsatisfied) {
  ++summary.neverTrigger;
  std::vector<std::pair<std::vector<const Atom *>, ConjunctionCheck>> cores;
  const PolicyInfo &info = infos[index];
  for (const Dnf &dnf : unsatisfied) {
    if (cores.size() == MaxCoresShown)
      break;
    std::vector<const Atom *> atoms;
    gather(info, dnf.front(), atoms);
    ConjunctionCheck check =
        checkConjunction(atoms, fields, enums, /*wantCore=*/true);
    cores.push_back({std::move(atoms), std::move(check)});
  }
  size_t alternatives = unsatisfied.size();
  findings.push_back({FindingKind::NeverTrigger, index, index,
                      [this, index, cores, alternatives] {
                        const Policy &policy = *infos[index].policy;
                        std::string why =
                            alternatives == 1
                                ? "its conditions contradict each other"
                                : "none of the " +
                                      std::to_string(alternatives) +
                                      " alternatives of its 'or' can hold";
                        diags.warning(policy.nameRange.Start,
                                      "policy " + quoted(policy.name) +
                                          " can never trigger: " + why,
                                      {policy.nameRange});
                        for (const auto &[atoms, check] : cores) {
                          emitCore(check, atoms);
                          emitAssumptions(check);
                        }
                      }});
}

void Analyzer::emitCore(const ConjunctionCheck &check,
                        llvm::ArrayRef<const Atom *> atoms) {
  std::vector<const Atom *> core;
  for (unsigned position : check.core)
    core.push_back(atoms[position]);
  llvm::sort(core, [](const Atom *a, const Atom *b) {
    return a->source->range.Start.getPointer() <
           b->source->range.Start.getPointer();
  });
  if (core.empty())
    return;
  auto text = [&](const Atom *atom) { return quoted(builder.describe(*atom)); };
  if (core.size() == 1) {
    diags.note(core[0]->source->range.Start, text(core[0]) + " can never hold");
    return;
  }
  std::string message;
  if (core.size() == 2) {
    message = text(core[0]) + " contradicts " + text(core[1]);
  } else {
    for (size_t i = 0; i < core.size(); ++i)
      message += (i == 0                 ? ""
                  : i + 1 == core.size() ? " and "
                                         : ", ") +
                 text(core[i]);
    message += " cannot all hold";
  }
  diags.note(core[0]->source->range.Start, message);
  for (size_t i = 1; i < core.size(); ++i)
    diags.note(core[i]->source->range.Start, text(core[i]) + " is here");
}

void Analyzer::emitAssumptions(const ConjunctionCheck &check) {
  if (!check.coreField)
    return;
  std::string name = fields.get(*check.coreField).name;
  if (check.assumesEnum)
    diags.note(llvm::SMLoc(), "this assumes " + quoted(name) + " holds " +
                                  enums.describe(*check.assumesEnum) +
                                  "; other strings compare bytewise");
  if (check.assumesScalar)
    diags.note(llvm::SMLoc(),
               "this assumes " + quoted(name) +
                   " holds a single value: for an array, 'in' is true when "
                   "any element is in the list");
}

bool Analyzer::confirm(const Witness &witness, const Policy &a, const Policy &b,
                       std::string &json) const {
  std::optional<std::string> text = witnessJSON(witness, fields);
  if (!text)
    return false;
  if (evaluate(*a.trigger, witness, fields, enums) != Truth::True ||
      evaluate(*b.trigger, witness, fields, enums) != Truth::True)
    return false;
  json = std::move(*text);
  return true;
}

void Analyzer::checkDenyAllow(unsigned deny, unsigned allow) {
  const PolicyInfo &d = infos[deny];
  const PolicyInfo &a = infos[allow];
  for (const Conjunction &dc : *d.trigger) {
    for (auto [t, r] : a.allowRegion) {
      std::vector<const Atom *> atoms;
      gather(d, dc, atoms);
      gather(a, (*a.trigger)[t], atoms);
      if (a.requirement)
        gather(a, (*a.requirement)[r], atoms);
      ConjunctionCheck check = checkConjunction(atoms, fields, enums);
      if (!check.satisfiable)
        continue;
      ++summary.denyAllowConflicts;
      std::string json;
      bool confirmed = confirm(check.witness, *d.policy, *a.policy, json);
      findings.push_back(
          {FindingKind::DenyAllow, deny, allow,
           [this, deny, allow, confirmed, json] {
             const Policy &dp = *infos[deny].policy;
             const Policy &ap = *infos[allow].policy;
             std::string message =
                 "policy " + quoted(dp.name) + " denies requests that " +
                 quoted(ap.name) + " would allow: both " +
                 (confirmed ? "can" : "may") +
                 " trigger on the same request, and the deny wins";
             diags.warning(dp.nameRange.Start, message, {dp.nameRange});
             diags.note(ap.nameRange.Start,
                        "policy " + quoted(ap.name) + " is here");
             if (confirmed)
               diags.note(llvm::SMLoc(), "both trigger on " + json);
             else
               diags.note(llvm::SMLoc(),
                          "approximate: the analysis found no contradiction "
                          "between the triggers but could not confirm a "
                          "request on which both hold");
           }});
      return;
    }
  }
}

void Analyzer::checkRequirements(unsigned first, unsigned second) {
  const PolicyInfo &p = infos[first];
  const PolicyInfo &q = infos[second];
  if (!p.requirement || !q.requirement)
    return;
  // Requirements that read no field the other policy reads cannot
  // contradict it (docs: the check looks for direct contradictions only).
  if (!intersects(p.requirementFields, q.requirementFields) &&
      !intersects(p.requirementFields, q.triggerFields) &&
      !intersects(q.requirementFields, p.triggerFields))
    return;
  std::optional<Witness> bothTrigger;
  std::optional<std::pair<std::vector<const Atom *>, ConjunctionCheck>> core;
  for (const Conjunction &pc : *p.trigger) {
    for (const Conjunction &qc : *q.trigger) {
      std::vector<const Atom *> triggers;
      gather(p, pc, triggers);
      gather(q, qc, triggers);
      ConjunctionCheck meet = checkConjunction(triggers, fields, enums);
      if (!meet.satisfiable)
        continue;
      for (const Conjunction &pr : *p.requirement)
        for (const Conjunction &qr : *q.requirement) {
          std::vector<const Atom *> all = triggers;
          gather(p, pr, all);
          gather(q, qr, all);
          ConjunctionCheck check = checkConjunction(all, fields, enums);
          if (check.satisfiable)
            return; // both can allow the same request
          if (!core)
            core = {all, checkConjunction(all, fields, enums, true)};
        }
      if (!bothTrigger)
        bothTrigger = meet.witness;
    }
  }
  if (!bothTrigger || !core)
    return;
  ++summary.requirementConflicts;
  std::string json;
  bool confirmed = confirm(*bothTrigger, *p.policy, *q.policy, json);
  auto atoms = core->first;
  auto check = core->second;
  findings.push_back(
      {FindingKind::RequirementConflict, second, first,
       [this, first, second, confirmed, json, atoms, check] {
         const Policy &pp = *infos[first].policy;
         const Policy &qp = *infos[second].policy;
         diags.warning(qp.nameRange.Start,
                       "policies " + quoted(pp.name) + " and " +
                           quoted(qp.name) + " " + (confirmed ? "can" : "may") +
                           " both trigger on the same request, but their "
                           "requirements cannot both hold: such a request "
                           "is always denied",
                       {qp.nameRange});
         diags.note(pp.nameRange.Start,
                    "policy " + quoted(pp.name) + " is here");
         emitCore(check, atoms);
         emitAssumptions(check);
         if (confirmed)
           diags.note(llvm::SMLoc(), "both trigger on " + json);
         else
           diags.note(llvm::SMLoc(),
                      "approximate: the analysis found no contradiction "
                      "between the triggers but could not confirm a request "
                      "on which both hold");
       }});
}

void Analyzer::findDuplicates() {
  llvm::StringMap<unsigned> firstWithKey;
  for (unsigned i = 0; i < infos.size(); ++i) {
    auto [it, inserted] = firstWithKey.try_emplace(infos[i].duplicateKey, i);
    if (inserted)
      continue;
    ++summary.duplicates;
    unsigned original = it->second;
    findings.push_back(
        {FindingKind::Duplicate, i, original, [this, i, original] {
           const Policy &dup = *infos[i].policy;
           const Policy &orig = *infos[original].policy;
           diags.warning(dup.nameRange.Start,
                         "policy " + quoted(dup.name) + " duplicates " +
                             quoted(orig.name) +
                             ": the same trigger and requirement, up to "
                             "the order of conditions",
                         {dup.nameRange});
           diags.note(orig.nameRange.Start,
                      "policy " + quoted(orig.name) + " is here");
         }});
  }
}

//===----------------------------------------------------------------------===//
// Pairing index
//===----------------------------------------------------------------------===//

/// The finite set of values a conjunction pins a field to, if any.
static std::optional<std::vector<std::string>>
pinnedValues(const PolicyInfo &info, const Conjunction &conjunction,
             unsigned field) {
  std::optional<std::vector<std::string>> values;
  auto restrict = [&](std::vector<std::string> next) {
    llvm::sort(next);
    if (!values) {
      values = std::move(next);
      return;
    }
    std::vector<std::string> kept;
    std::set_intersection(values->begin(), values->end(), next.begin(),
                          next.end(), std::back_inserter(kept));
    *values = std::move(kept);
  };
  for (unsigned index : conjunction) {
    const Atom &atom = info.atoms[index];
    if (atom.field != field)
      continue;
    if (atom.kind == Atom::Kind::Compare && atom.op == CompareOp::Eq)
      restrict({atom.literal.toJSON()});
    else if (atom.kind == Atom::Kind::In && !atom.negated) {
      std::vector<std::string> members;
      for (const Scalar &member : atom.members)
        members.push_back(member.toJSON());
      restrict(std::move(members));
    }
  }
  return values;
}

void Analyzer::computeIndex() {
  // Count, per field, the policies whose every trigger conjunction pins it.
  std::vector<unsigned> pinnedCount(fields.size(), 0);
  for (const PolicyInfo &info : infos) {
    if (!info.trigger || info.trigger->empty())
      continue;
    for (unsigned field : info.triggerFields) {
      bool everywhere = llvm::all_of(*info.trigger, [&](const Conjunction &c) {
        return pinnedValues(info, c, field).has_value();
      });
      if (everywhere)
        ++pinnedCount[field];
    }
  }
  std::vector<unsigned> order;
  for (unsigned field = 0; field < fields.size(); ++field)
    if (pinnedCount[field] > 0 && !fields.get(field).aggregate)
      order.push_back(field);
  llvm::stable_sort(order, [&](unsigned a, unsigned b) {
    return pinnedCount[a] > pinnedCount[b];
  });
  if (order.size() > MaxIndexFields)
    order.resize(MaxIndexFields);
  indexFields = order;
  indexValueIds.resize(indexFields.size());

  for (PolicyInfo &info : infos) {
    if (!info.trigger || info.trigger->empty())
      continue;
    for (unsigned slot = 0; slot < indexFields.size(); ++slot) {
      std::vector<unsigned> ids;
      bool any = false;
      for (const Conjunction &conjunction : *info.trigger) {
        std::optional<std::vector<std::string>> values =
            pinnedValues(info, conjunction, indexFields[slot]);
        if (!values) {
          any = true;
          break;
        }
        for (const std::string &value : *values)
          ids.push_back(indexValueIds[slot]
                            .try_emplace(value, indexValueIds[slot].size())
                            .first->second);
      }
      if (any)
        continue;
      llvm::sort(ids);
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      for (unsigned id : ids)
        info.indexMasks[slot] |= uint64_t(1) << (id % 64);
      info.indexValues[slot] = std::move(ids);
    }
  }
}

bool Analyzer::mayMeet(const PolicyInfo &a, const PolicyInfo &b) const {
  for (unsigned slot = 0; slot < indexFields.size(); ++slot)
    if (a.indexValues[slot] && b.indexValues[slot] &&
        (a.indexMasks[slot] & b.indexMasks[slot]) == 0)
      return false;
  return true;
}

AnalysisSummary Analyzer::run() {
  for (const EnumDecl &decl : file.enums) {
    std::vector<std::string> members;
    for (const EnumMember &member : decl.members)
      members.push_back(member.name);
    enums.declare(decl.name, std::move(members));
  }
  infos.resize(file.policies.size());
  for (size_t i = 0; i < file.policies.size(); ++i) {
    infos[i].policy = &file.policies[i];
    buildPolicy(infos[i]);
  }
  findDuplicates();
  computeIndex();

  // Bucket the policies on the first index field; a policy that does not
  // pin it meets every bucket.
  std::vector<std::vector<unsigned>> buckets;
  std::vector<unsigned> unpinned;
  std::vector<unsigned> live;
  for (unsigned i = 0; i < infos.size(); ++i) {
    const PolicyInfo &info = infos[i];
    if (!info.trigger || info.trigger->empty())
      continue;
    if (!info.isDeny && !info.canAllow)
      continue;
    live.push_back(i);
    if (indexFields.empty() || !info.indexValues[0]) {
      unpinned.push_back(i);
      continue;
    }
    for (unsigned value : *info.indexValues[0]) {
      if (buckets.size() <= value)
        buckets.resize(value + 1);
      buckets[value].push_back(i);
    }
  }
  std::vector<unsigned> seen(infos.size(), ~0u);
  for (unsigned i : live) {
    const PolicyInfo &info = infos[i];
    auto visit = [&](unsigned j) {
      if (seen[j] == i || j == i)
        return;
      seen[j] = i;
      const PolicyInfo &other = infos[j];
      if (!mayMeet(info, other))
        return;
      if (info.isDeny && !other.isDeny && other.canAllow)
        checkDenyAllow(i, j);
      else if (!info.isDeny && !other.isDeny && i < j)
        checkRequirements(i, j);
    };
    if (indexFields.empty() || !info.indexValues[0]) {
      for (unsigned j : live)
        visit(j);
      continue;
    }
    for (unsigned value : *info.indexValues[0])
      for (unsigned j : buckets[value])
        visit(j);
    for (unsigned j : unpinned)
      visit(j);
  }

  llvm::stable_sort(findings, [](const Finding &a, const Finding &b) {
    return std::tie(a.policy, a.kind, a.other) <
           std::tie(b.policy, b.kind, b.other);
  });
  for (const Finding &finding : findings)
    finding.emit();
  return summary;
}

AnalysisSummary rune::ipe::analyzePolicyFile(const PolicyFile &file,
                                             DiagnosticEngine &diags) {
  Analyzer analyzer(file, diags);
  return analyzer.run();
}
