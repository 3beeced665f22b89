#include <solvers/common/output.h>
#include <solvers/common/parameters.h>

#include <deal.II/base/utilities.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace organtwin
{
  ResultDirectory::ResultDirectory(const std::string &p, MPI_Comm comm)
    : path(p)
    , comm(comm)
  {
    while (path.size() > 1 && path.back() == '/')
      path.pop_back();
    input_check(!path.empty(), "[Output/Directory]", "must not be empty");
    long id = 0;
    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      id = static_cast<long>(::getpid());
    id       = dealii::Utilities::MPI::broadcast(comm, id, 0);
    tmp_path = path + ".partial-" + std::to_string(id) + "/";
    int ok   = 1;
    std::string err;
    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      {
        std::error_code ec;
        fs::remove_all(tmp_path, ec);
        fs::create_directories(tmp_path, ec);
        if (ec)
          {
            ok  = 0;
            err = ec.message();
          }
      }
    ok = dealii::Utilities::MPI::min(ok, comm);
    if (!ok)
      throw InputError("[Output/Directory] = \"" + path + "\": cannot create the result directory (" + err + ")");
  }

  ResultDirectory::~ResultDirectory()
  {
    if (!committed && dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      {
        std::error_code ec;
        fs::remove_all(tmp_path, ec);
      }
  }

  void
  ResultDirectory::commit()
  {
    MPI_Barrier(comm);
    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      {
        std::error_code ec;
        fs::remove_all(path, ec);
        fs::rename(tmp_path, path);
      }
    committed = true;
    MPI_Barrier(comm);
  }

  void
  write_file_atomic(const std::string &filename, const std::string &content)
  {
    const std::string tmp = filename + ".tmp";
    {
      std::ofstream out(tmp);
      if (!out)
        throw std::runtime_error("cannot write " + tmp);
      out << content;
      if (!out)
        throw std::runtime_error("error while writing " + tmp);
    }
    fs::rename(tmp, filename);
  }

  std::string
  json_escape(const std::string &s)
  {
    std::string o = "\"";
    for (char c : s)
      {
        if (c == '"' || c == '\\')
          o += '\\', o += c;
        else if (c == '\n')
          o += "\\n";
        else if (static_cast<unsigned char>(c) < 0x20)
          o += ' ';
        else
          o += c;
      }
    return o + "\"";
  }

  namespace
  {
    std::string
    num(double v)
    {
      if (!std::isfinite(v))
        return "null";
      std::ostringstream o;
      o << std::setprecision(10) << v;
      return o.str();
    }
  } // namespace

  Json &
  Json::set(const std::string &key, double value)
  {
    items.emplace_back(key, num(value));
    return *this;
  }

  Json &
  Json::set(const std::string &key, const std::string &value)
  {
    items.emplace_back(key, json_escape(value));
    return *this;
  }

  Json &
  Json::set(const std::string &key, bool value)
  {
    items.emplace_back(key, value ? "true" : "false");
    return *this;
  }

  Json &
  Json::set(const std::string &key, const std::vector<double> &values)
  {
    std::string s = "[";
    for (std::size_t i = 0; i < values.size(); ++i)
      s += (i ? ", " : "") + num(values[i]);
    items.emplace_back(key, s + "]");
    return *this;
  }

  Json &
  Json::set(const std::string &key, const Json &object)
  {
    items.emplace_back(key, object.str());
    return *this;
  }

  std::string
  Json::str() const
  {
    std::string s = "{\n";
    for (std::size_t i = 0; i < items.size(); ++i)
      {
        std::string v; // nested objects are re-indented by one level
        for (char c : items[i].second)
          v += (c == '\n') ? std::string("\n  ") : std::string(1, c);
        s += "  " + json_escape(items[i].first) + ": " + v + (i + 1 < items.size() ? ",\n" : "\n");
      }
    return s + "}";
  }
  std::string
  source_file(const std::string &relative_path)
  {
    namespace fs = std::filesystem;
    if (const char *src = std::getenv("OT_SOURCE_DIR"))
      return (fs::path(src) / relative_path).string();
    // this file is <root>/solvers/common/output.cc
    return (fs::path(__FILE__).parent_path().parent_path().parent_path() / relative_path).string();
  }

  std::string
  shell_quote(const std::string &s)
  {
    std::string q = "'";
    for (char c : s)
      q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  }
} // namespace organtwin
