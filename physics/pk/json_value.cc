#include <physics/pk/json_value.h>
#include <solvers/common/parameters.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace organtwin::pk
{
  const JsonValue *
  JsonValue::find(const std::string &key) const
  {
    for (const auto &[k, v] : members)
      if (k == key)
        return &v;
    return nullptr;
  }

  const char *
  JsonValue::type_name(Type t)
  {
    switch (t)
      {
        case Type::null:
          return "null";
        case Type::boolean:
          return "true/false";
        case Type::number:
          return "a number";
        case Type::string:
          return "a string";
        case Type::array:
          return "a list";
        case Type::object:
          return "an object";
      }
    return "?";
  }

  namespace
  {
    class Parser
    {
    public:
      Parser(const std::string &text, const std::string &origin)
        : s(text)
        , origin(origin)
      {}

      JsonValue
      document()
      {
        skip_ws();
        JsonValue v = value(0);
        skip_ws();
        if (pos != s.size())
          fail("unexpected text after the end of the document");
        return v;
      }

    private:
      const std::string &s;
      const std::string &origin;
      std::size_t        pos = 0;
      int                line = 1;
      std::size_t        line_start = 0;

      [[noreturn]] void
      fail(const std::string &what) const
      {
        throw InputError(origin + ":" + std::to_string(line) + ":" + std::to_string(pos - line_start + 1) +
                         ": malformed JSON: " + what);
      }

      void
      skip_ws()
      {
        while (pos < s.size())
          {
            const char c = s[pos];
            if (c == '\n')
              {
                ++line;
                line_start = pos + 1;
              }
            else if (c != ' ' && c != '\t' && c != '\r')
              break;
            ++pos;
          }
      }

      std::string
      describe_here() const
      {
        if (pos >= s.size())
          return "the end of the file";
        return std::string("'") + s[pos] + "'";
      }

      JsonValue
      value(int depth)
      {
        if (depth > 64)
          fail("nesting deeper than 64 levels");
        if (pos >= s.size())
          fail("unexpected end of the file (a value was expected)");
        JsonValue v;
        v.line       = line;
        const char c = s[pos];
        if (c == '{')
          {
            v.type = JsonValue::Type::object;
            ++pos;
            skip_ws();
            if (pos < s.size() && s[pos] == '}')
              {
                ++pos;
                return v;
              }
            while (true)
              {
                skip_ws();
                if (pos >= s.size() || s[pos] != '"')
                  fail("expected a quoted key, found " + describe_here());
                std::string key = string_literal();
                for (const auto &m : v.members)
                  if (m.first == key)
                    fail("key \"" + key + "\" appears twice");
                skip_ws();
                if (pos >= s.size() || s[pos] != ':')
                  fail("expected ':' after key \"" + key + "\", found " + describe_here());
                ++pos;
                skip_ws();
                v.members.emplace_back(key, value(depth + 1));
                skip_ws();
                if (pos < s.size() && s[pos] == ',')
                  {
                    ++pos;
                    continue;
                  }
                if (pos < s.size() && s[pos] == '}')
                  {
                    ++pos;
                    return v;
                  }
                fail("expected ',' or '}' in an object, found " + describe_here());
              }
          }
        if (c == '[')
          {
            v.type = JsonValue::Type::array;
            ++pos;
            skip_ws();
            if (pos < s.size() && s[pos] == ']')
              {
                ++pos;
                return v;
              }
            while (true)
              {
                skip_ws();
                v.items.push_back(value(depth + 1));
                skip_ws();
                if (pos < s.size() && s[pos] == ',')
                  {
                    ++pos;
                    continue;
                  }
                if (pos < s.size() && s[pos] == ']')
                  {
                    ++pos;
                    return v;
                  }
                fail("expected ',' or ']' in a list, found " + describe_here());
              }
          }
        if (c == '"')
          {
            v.type = JsonValue::Type::string;
            v.str  = string_literal();
            return v;
          }
        if (s.compare(pos, 4, "true") == 0)
          {
            pos += 4;
            v.type = JsonValue::Type::boolean;
            v.b    = true;
            return v;
          }
        if (s.compare(pos, 5, "false") == 0)
          {
            pos += 5;
            v.type = JsonValue::Type::boolean;
            return v;
          }
        if (s.compare(pos, 4, "null") == 0)
          {
            pos += 4;
            return v;
          }
        if (c == '-' || (c >= '0' && c <= '9'))
          {
            const std::size_t start = pos;
            if (s[pos] == '-')
              ++pos;
            while (pos < s.size() && (std::isdigit(static_cast<unsigned char>(s[pos])) || s[pos] == '.' ||
                                      s[pos] == 'e' || s[pos] == 'E' || s[pos] == '+' || s[pos] == '-'))
              ++pos;
            const std::string tok = s.substr(start, pos - start);
            char             *end = nullptr;
            const double      x   = std::strtod(tok.c_str(), &end);
            if (end != tok.c_str() + tok.size() || !std::isfinite(x))
              {
                pos = start;
                fail("\"" + tok + "\" is not a number");
              }
            v.type = JsonValue::Type::number;
            v.num  = x;
            return v;
          }
        fail("expected a value (number, string, true/false, null, list or object), found " + describe_here());
      }

      std::string
      string_literal()
      {
        ++pos; // opening quote
        std::string out;
        while (true)
          {
            if (pos >= s.size() || s[pos] == '\n')
              fail("unterminated string");
            const char c = s[pos++];
            if (c == '"')
              return out;
            if (c != '\\')
              {
                out += c;
                continue;
              }
            if (pos >= s.size())
              fail("unterminated string");
            const char e = s[pos++];
            switch (e)
              {
                case '"':
                case '\\':
                case '/':
                  out += e;
                  break;
                case 'n':
                  out += '\n';
                  break;
                case 't':
                  out += '\t';
                  break;
                case 'r':
                  out += '\r';
                  break;
                case 'b':
                  out += '\b';
                  break;
                case 'f':
                  out += '\f';
                  break;
                case 'u':
                  {
                    if (pos + 4 > s.size())
                      fail("truncated \\u escape");
                    const long code = std::strtol(s.substr(pos, 4).c_str(), nullptr, 16);
                    pos += 4;
                    out += code < 128 ? static_cast<char>(code) : '?';
                    break;
                  }
                default:
                  fail(std::string("unknown escape \\") + e);
              }
          }
      }
    };
  } // namespace

  JsonValue
  parse_json(const std::string &text, const std::string &origin)
  {
    return Parser(text, origin).document();
  }

  JsonValue
  parse_json_file(const std::string &filename)
  {
    std::ifstream in(filename);
    if (!in)
      throw InputError(filename + ": cannot open the file (does it exist and is it readable?)");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_json(ss.str(), filename);
  }
} // namespace organtwin::pk
