// Helpers shared by the tests of generators/values.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "generators/values/row_program.h"

namespace seedforge::values::testing {

// Compiles `columns` as table "t" with seed 42; fails the test (and aborts) on an error.
inline RowProgram MustCompile(std::string_view columns, uint64_t seed = 42) {
  CompileOptions options;
  options.seed = seed;
  auto program = RowProgram::Compile("t", columns, options);
  if (!program.ok()) ADD_FAILURE() << program.status().message();
  return std::move(program).value();
}

// The one-line message of compiling `columns`, or "ok".
inline std::string CompileError(std::string_view columns) {
  CompileOptions options;
  options.seed = 42;
  auto program = RowProgram::Compile("t", columns, options);
  return program.ok() ? "ok" : program.status().message();
}

// Text forms of `column` for rows [first, first + count).
inline std::vector<std::string> Texts(const RowProgram& program, std::string_view column,
                                      uint64_t first, uint64_t count) {
  const int index = program.FindColumn(column);
  EXPECT_GE(index, 0) << column;
  RowScratch scratch = program.NewScratch();
  std::vector<std::string> out;
  for (uint64_t row = first; row < first + count; ++row) {
    program.ComputeRow(row, &scratch);
    out.push_back(scratch[index].ToString());
  }
  return out;
}

// The column's values as doubles (Value::AsDouble) for rows [0, count).
inline std::vector<double> Numbers(const RowProgram& program, std::string_view column,
                                   uint64_t count) {
  const int index = program.FindColumn(column);
  RowScratch scratch = program.NewScratch();
  std::vector<double> out;
  out.reserve(count);
  for (uint64_t row = 0; row < count; ++row) {
    program.ComputeRow(row, &scratch);
    out.push_back(scratch[index].AsDouble());
  }
  return out;
}

}  // namespace seedforge::values::testing
