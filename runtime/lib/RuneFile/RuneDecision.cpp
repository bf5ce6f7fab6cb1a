//===- RuneDecision.cpp - The combined decision of a .rune module ---------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// RuneDecider::decide: the request-dependent strata over the static
// snapshot, then Cedar's decision and the rules' combined (RuneDecision.h).
//
//===----------------------------------------------------------------------===//

#include "RuneDecisionState.h"

using namespace rune;
using namespace rune::runedecision;

namespace {

/// Hands the evaluator the static relations in place for the duration of
/// one evaluation, and takes them back (they are not the evaluation's).
class BorrowedRelations {
public:
  BorrowedRelations(std::vector<std::unique_ptr<Relation>> &relations,
                    std::vector<bool> borrowed)
      : relations(relations), borrowed(std::move(borrowed)) {}
  ~BorrowedRelations() {
    for (size_t slot = 0; slot < relations.size(); ++slot)
      if (borrowed[slot])
        (void)relations[slot].release();
  }

private:
  std::vector<std::unique_ptr<Relation>> &relations;
  std::vector<bool> borrowed;
};

} // namespace

bool RuneDecider::decide(const Request &request, EvalScratch &scratch,
                         RuneResponse &response, std::string &error,
                         bool keepEvaluation) const {
  response = RuneResponse();
  if (!authorize(module, entities, request, scratch, response.cedar, error))
    return false;

  if (state) {
    State &s = *state;
    size_t count = s.staticRelations.size();
    std::vector<std::unique_ptr<Relation>> relations(count);
    std::vector<bool> borrowed(count, false);
    for (size_t slot = 0; slot < count; ++slot) {
      if (s.perRequest[slot]) {
        // What this request derives (a stratum writes only its own
        // relations, so the snapshot holds nothing of theirs).
        relations[slot] =
            std::make_unique<Relation>(s.staticRelations[slot]->emptyCopy());
        if (!s.staticRelations[slot]->empty())
          relations[slot]->insertAll(*s.staticRelations[slot]);
      } else {
        relations[slot].reset(s.staticRelations[slot].get());
        borrowed[slot] = true;
      }
    }
    std::shared_ptr<RuneEvaluation> evaluation;
    {
      BorrowedRelations guard(relations, borrowed);
      const SymbolTable &names = module.engine().symbols();
      auto requestFact = [&](unsigned slot, const Value &value) {
        Column column;
        if (toColumn(value, names, column))
          insertFact(*relations[slot], s.symbols, {&column});
      };
      requestFact(s.principalSlot, request.principal);
      requestFact(s.actionSlot, request.action);
      requestFact(s.resourceSlot, request.resource);
      if (request.context.kind() == ValueKind::Record) {
        for (const RecordField &field : request.context.asRecord()) {
          Column key, value;
          key.isString = true;
          key.text = std::string(names.name(field.key));
          if (toColumn(field.value, names, value))
            insertFact(*relations[s.contextSlot], s.symbols, {&key, &value});
        }
      }
      if (s.native)
        datalog::detail::evaluateNative(s.image, s.requestNative,
                                        s.nativeSymbols, relations, s.symbols);
      else
        datalog::detail::evaluate(s.requestImage, relations, s.symbols);
      for (unsigned slot : s.decidingSlots) {
        if (relations[slot]->empty())
          continue;
        std::string_view name = s.image.relations[slot].name;
        if (isDenyRelationName(name))
          response.forbiddingRelations.emplace_back(name);
        else
          response.permittingRelations.emplace_back(name);
      }
      if (keepEvaluation) {
        evaluation = std::make_shared<RuneEvaluation>();
        for (size_t slot = 0; slot < count; ++slot)
          evaluation->relations.push_back(relations[slot].get());
      }
    }
    if (evaluation) {
      // The guard took the borrowed relations back; keep the request's own.
      evaluation->owned = std::move(relations);
      evaluation->image = &s.image;
      evaluation->symbolTable = &s.symbols;
      evaluation->keepAlive = state;
      response.evaluation = std::move(evaluation);
    }
  }

  // Cedar alone denies with reasons only when a forbid was satisfied.
  bool cedarForbids = response.cedar.decision == Decision::Deny &&
                      !response.cedar.reasons.empty();
  bool cedarPermits = response.cedar.decision == Decision::Allow;
  if (cedarForbids || !response.forbiddingRelations.empty()) {
    response.decision = Decision::Deny;
    if (cedarForbids)
      response.reasons = response.cedar.reasons;
    response.reasons.insert(response.reasons.end(),
                            response.forbiddingRelations.begin(),
                            response.forbiddingRelations.end());
  } else if (cedarPermits || !response.permittingRelations.empty()) {
    response.decision = Decision::Allow;
    if (cedarPermits)
      response.reasons = response.cedar.reasons;
    response.reasons.insert(response.reasons.end(),
                            response.permittingRelations.begin(),
                            response.permittingRelations.end());
  }
  return true;
}
