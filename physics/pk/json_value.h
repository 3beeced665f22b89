#pragma once
// A small, strict JSON reader for compound files and dose tables. It keeps the
// line of every value so that errors can name "file:line" and the key, and keeps
// object members in file order (duplicate keys are an error).
//
// Not a general JSON library: numbers are doubles, strings support the standard
// escapes (\uXXXX is accepted for ASCII only).

#include <string>
#include <utility>
#include <vector>

namespace organtwin::pk
{
  struct JsonValue
  {
    enum class Type
    {
      null,
      boolean,
      number,
      string,
      array,
      object
    };
    Type                                           type = Type::null;
    bool                                           b    = false;
    double                                         num  = 0.;
    std::string                                    str;
    std::vector<JsonValue>                         items;   ///< array
    std::vector<std::pair<std::string, JsonValue>> members; ///< object, in file order
    int                                            line = 0;

    /// Member of an object, or nullptr.
    const JsonValue *find(const std::string &key) const;
    /// "number", "string", ... for messages.
    static const char *type_name(Type t);
  };

  /// Parse text; `origin` (file name) is used in messages. Throws InputError
  /// "<origin>:<line>:<column>: malformed JSON: <what>".
  JsonValue parse_json(const std::string &text, const std::string &origin);

  /// Read and parse a file; InputError if it cannot be read.
  JsonValue parse_json_file(const std::string &filename);
} // namespace organtwin::pk
