#pragma once
// Input decks: deal.II ParameterHandler files (.prm or .json) with command-line
// overrides. Every error about user input is thrown as InputError, whose message
// names the file, the line where known, the entry and what was expected.

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>

#include <array>
#include <stdexcept>
#include <string>
#include <vector>

namespace organtwin
{
  /// Bad user input (deck, mesh file, command line). main() prints it and exits 1.
  class InputError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  /// Throw InputError("<where>: <what>") unless cond holds.
  void input_check(bool cond, const std::string &where, const std::string &what);

  /// Parse "x,y,z" (three numbers) from a deck entry; InputError naming where otherwise.
  std::array<double, 3> parse_triple(const std::string &text, const std::string &where);
  /// parse_triple as a point [mm].
  dealii::Point<3> parse_point(const std::string &text, const std::string &where);

  /// "[Sub/Sub2/Entry] = value": the path of an entry, for messages.
  std::string entry_path(const std::vector<std::string> &subsections, const std::string &entry);

  /// A deck: a ParameterHandler that has been declared by the caller, then filled
  /// from a file and from overrides "Sub/Sub2/Entry=value".
  class Deck
  {
  public:
    explicit Deck(dealii::ParameterHandler &prm);

    /// Parse a .prm or .json file. Unknown entries and values that do not match their
    /// pattern are errors. Throws InputError naming file, line and entry.
    void parse_file(const std::string &filename);

    /// Apply "Sub/Sub2/Entry=value" overrides (from -s on the command line).
    void apply_overrides(const std::vector<std::string> &overrides);

    /// Name of the parsed file ("<defaults>" when none), for messages.
    const std::string &file() const { return filename; }

    /// Write the deck actually used (all entries) as .prm.
    void write_used(const std::string &filename) const;

  private:
    dealii::ParameterHandler &prm;
    std::string               filename = "<defaults>";
  };

  /// Set the value of "Sub/Sub2/Entry" in prm (throws InputError if undeclared or invalid).
  void set_by_path(dealii::ParameterHandler &prm, const std::string &path, const std::string &value,
                   const std::string &origin);

  /// Print the complete default deck, with documentation, to out.
  void print_default_deck(dealii::ParameterHandler &prm, std::ostream &out);
} // namespace organtwin
