//===- TemplateLinker.cpp - Linking Cedar policy templates ----------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Sema/TemplateLinker.h"

// The located JSON DOM of the schema reader: link errors point into the
// links file the same way schema errors point into a JSON schema.
#include "../Schema/LocatedJson.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace rune;
using namespace rune::cedar;
using rune::schema::detail::JsonValue;

namespace {

/// Links files are flat; this is generous.
constexpr unsigned MaxLinksDepth = 16;

/// Cedar never evaluates a template itself, only its links. A template
/// without any link takes no part in decisions; that is legal (Cedar's
/// policy stores hold templates before anyone links them) but rarely what
/// the author of a policy file meant, so it is worth a warning.
void dropTemplates(PolicySet &policies, const llvm::StringSet<> &linkedIds,
                   llvm::StringRef why, DiagnosticEngine &diags) {
  std::vector<Policy> kept;
  for (Policy &policy : policies.policies) {
    if (!policy.isTemplate()) {
      kept.push_back(std::move(policy));
      continue;
    }
    if (!linkedIds.contains(policy.id))
      diags.warning(policy.effectLoc, "template '" + policy.id + "' " + why +
                                          "; it takes no part in decisions");
  }
  policies.policies = std::move(kept);
}

class TemplateLinker {
public:
  TemplateLinker(PolicySet &policies, unsigned bufferId,
                 DiagnosticEngine &diags)
      : policies(policies), diags(diags),
        buffer(diags.getSourceMgr().getMemoryBuffer(bufferId)->getBuffer()),
        bufferId(bufferId) {}

  bool link() {
    std::optional<JsonValue> root =
        schema::detail::parseLocatedJson(bufferId, diags, MaxLinksDepth);
    if (!root)
      return false;
    if (!root->isArray()) {
      error(*root, "a template-link file must be an array of links, not " +
                       root->describe());
      return false;
    }
    for (const Policy &policy : policies.policies)
      policyIndex.try_emplace(policy.id, &policy);

    std::vector<Policy> linked;
    for (const JsonValue &entry : root->elements)
      if (std::optional<Policy> policy = linkOne(entry))
        linked.push_back(std::move(*policy));
    if (failed)
      return false;
    std::string why =
        ("has no link in '" +
         diags.getSourceMgr().getMemoryBuffer(bufferId)->getBufferIdentifier() +
         "'")
            .str();
    dropTemplates(policies, linkedTemplateIds, why, diags);
    for (Policy &policy : linked)
      policies.policies.push_back(std::move(policy));
    return true;
  }

private:
  llvm::SMLoc at(size_t offset) const {
    return llvm::SMLoc::getFromPointer(buffer.data() + offset);
  }

  void error(const JsonValue &value, const llvm::Twine &message) {
    diags.error(at(value.offset), message);
    failed = true;
  }

  /// The string member `key` of `object`, or null after reporting why not.
  const JsonValue *stringMember(const JsonValue &object, llvm::StringRef key) {
    const JsonValue *member = object.find(key);
    if (!member) {
      error(object, "template link has no \"" + key + "\"");
      return nullptr;
    }
    if (!member->isString()) {
      error(*member,
            "\"" + key + "\" must be a string, not " + member->describe());
      return nullptr;
    }
    return member;
  }

  /// An entity reference `{"type": T, "id": I}` or its escaped form
  /// `{"__entity": {"type": T, "id": I}}`.
  std::unique_ptr<EntityUidExpr> parseEntity(const JsonValue &value,
                                             llvm::SMRange range) {
    const JsonValue *entity = &value;
    if (entity->isObject())
      if (const JsonValue *escaped = entity->find("__entity"))
        entity = escaped;
    if (!entity->isObject()) {
      error(*entity, "a slot value must be an entity reference "
                     "{\"type\": ..., \"id\": ...}, not " +
                         entity->describe());
      return nullptr;
    }
    for (const auto &member : entity->members)
      if (member.key != "type" && member.key != "id") {
        diags.error(at(member.keyOffset),
                    "unexpected \"" + member.key +
                        "\" in an entity reference (expected \"type\" and "
                        "\"id\")");
        failed = true;
        return nullptr;
      }
    const JsonValue *type = entity->find("type");
    const JsonValue *id = entity->find("id");
    if (!type || !id) {
      error(*entity, llvm::Twine("entity reference has no \"") +
                         (type ? "id" : "type") + "\"");
      return nullptr;
    }
    if (!type->isString() || !id->isString()) {
      const JsonValue &bad = type->isString() ? *id : *type;
      error(bad,
            "entity reference fields must be strings, not " + bad.describe());
      return nullptr;
    }
    QualifiedName name;
    name.range = range;
    llvm::SmallVector<llvm::StringRef> components;
    llvm::StringRef(type->string).split(components, "::");
    for (llvm::StringRef component : components) {
      if (!isValidIdentifier(component)) {
        error(*type, "'" + type->string + "' is not a valid entity type");
        return nullptr;
      }
      name.components.push_back(component.str());
    }
    return std::make_unique<EntityUidExpr>(std::move(name), id->string, range);
  }

  std::optional<Policy> linkOne(const JsonValue &entry) {
    if (!entry.isObject()) {
      error(entry,
            "a template link must be an object, not " + entry.describe());
      return std::nullopt;
    }
    for (const auto &member : entry.members)
      if (member.key != "templateId" && member.key != "newId" &&
          member.key != "values") {
        diags.error(at(member.keyOffset),
                    "unexpected \"" + member.key +
                        "\" in a template link (expected \"templateId\", "
                        "\"newId\" and \"values\")");
        failed = true;
      }
    const JsonValue *templateId = stringMember(entry, "templateId");
    const JsonValue *newId = stringMember(entry, "newId");
    const JsonValue *values = entry.find("values");
    if (!values)
      error(entry, "template link has no \"values\"");
    else if (!values->isObject())
      error(*values, "\"values\" must be an object, not " + values->describe());
    if (!templateId || !newId || !values || !values->isObject())
      return std::nullopt;

    bool ok = checkNewId(*newId);
    auto found = policyIndex.find(templateId->string);
    if (found == policyIndex.end()) {
      error(*templateId, "no template with id '" + templateId->string + "'");
      return std::nullopt;
    }
    const Policy &templ = *found->second;
    if (!templ.isTemplate()) {
      error(*templateId, "policy '" + templateId->string +
                             "' is a static policy, not a template");
      diags.note(templ.effectLoc, "'" + templateId->string +
                                      "' is declared here, without slots");
      return std::nullopt;
    }

    linkedTemplateIds.insert(templ.id);
    Policy linked = clonePolicy(templ);
    linked.id = newId->string;
    // Slots given a value, even a malformed one (already reported).
    llvm::SmallVector<llvm::StringRef, 2> givenSlots;
    for (const auto &member : values->members) {
      givenSlots.push_back(member.key);
      ScopeConstraint *scope = member.key == "?principal"  ? &linked.principal
                               : member.key == "?resource" ? &linked.resource
                                                           : nullptr;
      if (!scope) {
        diags.error(at(member.keyOffset),
                    "unknown slot \"" + member.key +
                        "\" (Cedar's slots are ?principal and ?resource)");
        failed = true;
        ok = false;
        continue;
      }
      if (!scope->getSlot()) {
        diags.error(at(member.keyOffset), "template '" + templateId->string +
                                              "' has no " + member.key +
                                              " slot");
        diags.note(scope->range.Start, "its scope is declared here");
        failed = true;
        ok = false;
        continue;
      }
      std::unique_ptr<EntityUidExpr> entity =
          parseEntity(member.value, scope->operand->getRange());
      if (!entity) {
        ok = false;
        continue;
      }
      scope->operand = std::move(entity);
    }
    for (const ScopeConstraint *scope : {&linked.principal, &linked.resource})
      if (const SlotExpr *slot = scope->getSlot();
          slot && !llvm::is_contained(givenSlots, toString(slot->getSlot()))) {
        error(*values, "no value for the " + toString(slot->getSlot()) +
                           " slot of template '" + templateId->string + "'");
        diags.note(slot->getRange().Start, "the slot is used here");
        ok = false;
      }
    if (!ok)
      return std::nullopt;
    return linked;
  }

  /// A linked policy's id must be new among policies and links alike.
  bool checkNewId(const JsonValue &newId) {
    if (const Policy *policy = policyIndex.lookup(newId.string)) {
      error(newId, "new id '" + newId.string + "' is already a policy's id");
      diags.note(policy->effectLoc, "the policy is declared here");
      return false;
    }
    auto [previous, inserted] = linkIds.try_emplace(newId.string, newId.offset);
    if (!inserted) {
      error(newId, "duplicate new id '" + newId.string + "'");
      diags.note(at(previous->second), "first used here");
      return false;
    }
    return true;
  }

  PolicySet &policies;
  DiagnosticEngine &diags;
  llvm::StringRef buffer;
  unsigned bufferId;
  llvm::StringMap<const Policy *> policyIndex;
  /// The templates some link instantiates.
  llvm::StringSet<> linkedTemplateIds;
  /// The offset of each new id already used.
  llvm::StringMap<size_t> linkIds;
  bool failed = false;
};

} // namespace

void rune::cedar::dropUnlinkedTemplates(PolicySet &policies,
                                        DiagnosticEngine &diags) {
  dropTemplates(policies, {}, "is not linked (no template-link file given)",
                diags);
}

bool rune::cedar::linkTemplates(PolicySet &policies, unsigned linksBufferId,
                                DiagnosticEngine &diags) {
  return TemplateLinker(policies, linksBufferId, diags).link();
}
