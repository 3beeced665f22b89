#pragma once
// Unit direction vectors read from deck entries ("x,y,z"), shared by the solvers that take
// fibre, sheet, wall-normal or load directions. Kept out of parameters.h so that the
// deal.II Tensor header is only pulled in where a direction is parsed.
#include <deal.II/base/tensor.h>

#include <solvers/common/parameters.h>

#include <string>

namespace organtwin
{
  /// The direction given by "x,y,z" in the deck, normalised to unit length. InputError
  /// naming `where` if the text is not three numbers or the vector is zero.
  inline dealii::Tensor<1, 3>
  parse_direction(const std::string &s, const std::string &where)
  {
    const auto           v = parse_triple(s, where);
    dealii::Tensor<1, 3> t;
    for (unsigned int d = 0; d < 3; ++d)
      t[d] = v[d];
    input_check(t.norm() > 0, where, "must not be the zero vector");
    return t / t.norm();
  }
} // namespace organtwin
