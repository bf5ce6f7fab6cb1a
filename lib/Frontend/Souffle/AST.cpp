//===- AST.cpp - Soufflé Datalog AST --------------------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Souffle/AST.h"

using namespace rune::souffle;

const char *rune::souffle::spelling(AggregateOp op) {
  switch (op) {
  case AggregateOp::Count: return "count";
  case AggregateOp::Sum: return "sum";
  case AggregateOp::Min: return "min";
  case AggregateOp::Max: return "max";
  case AggregateOp::Mean: return "mean";
  }
  return "?";
}

const char *rune::souffle::spelling(CompareOp op) {
  switch (op) {
  case CompareOp::Eq: return "=";
  case CompareOp::Ne: return "!=";
  case CompareOp::Lt: return "<";
  case CompareOp::Le: return "<=";
  case CompareOp::Gt: return ">";
  case CompareOp::Ge: return ">=";
  }
  return "?";
}

const char *rune::souffle::spelling(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add: return "+";
  case BinaryOp::Sub: return "-";
  case BinaryOp::Mul: return "*";
  case BinaryOp::Div: return "/";
  case BinaryOp::Mod: return "%";
  }
  return "?";
}
