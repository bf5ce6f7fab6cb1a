//===- TemplateLinker.h - Linking Cedar policy templates --------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// A Cedar template is a policy whose scope uses `?principal` or `?resource`.
// A template link (Cedar's template-link JSON) names a template, the id of
// the new policy, and an entity for each slot:
//
//   [{"templateId": "policy0", "newId": "alice-photos",
//     "values": {"?principal": {"type": "User", "id": "alice"}}}]
//
// Linking replaces the slots by the entities, giving ordinary static
// policies, so that IRGen never sees a slot.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_SEMA_TEMPLATELINKER_H
#define RUNE_SEMA_TEMPLATELINKER_H

#include "rune/Frontend/Cedar/AST.h"
#include "rune/Support/Diagnostics.h"

namespace rune::cedar {

/// Links the templates of `policies` (checked by checkPolicySet) with the
/// links in buffer `linksBufferId`. On success `policies` holds its static
/// policies followed by one linked policy per link, in link order; the
/// templates themselves are dropped, since Cedar never evaluates a template
/// (a template without any link is reported with a warning).
/// Returns false after reporting every error, located in the links file:
/// malformed JSON or entities, an unknown template id, a static policy used
/// as a template, missing or extra slot values, and a new id that repeats
/// another link's or a policy's.
bool linkTemplates(PolicySet &policies, unsigned linksBufferId,
                   DiagnosticEngine &diags);

/// Without a links file: drops the templates of `policies`, with a warning
/// for each, so that a policy file holding templates still compiles (its
/// templates cannot apply to any request until they are linked).
void dropUnlinkedTemplates(PolicySet &policies, DiagnosticEngine &diags);

} // namespace rune::cedar

#endif // RUNE_SEMA_TEMPLATELINKER_H
