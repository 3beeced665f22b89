#pragma once
// Result folders and files that never exist half-written: everything is written
// under a temporary name and renamed into place only when the run succeeded.

#include <deal.II/base/mpi.h>

#include <map>
#include <string>
#include <vector>

namespace organtwin
{
  /// A result directory created as "<path>.partial-<id>" and renamed to <path> by
  /// commit(). If the object is destroyed without commit() (an exception), the
  /// partial directory is removed. Collective over comm.
  class ResultDirectory
  {
  public:
    ResultDirectory(const std::string &path, MPI_Comm comm);
    ~ResultDirectory();
    ResultDirectory(const ResultDirectory &) = delete;
    ResultDirectory &operator=(const ResultDirectory &) = delete;

    /// Where to write now (the temporary directory), with a trailing '/'.
    const std::string &tmp() const { return tmp_path; }
    /// Final location, with a trailing '/'.
    std::string final_path() const { return path + "/"; }
    /// Collective: replace any previous <path> by the temporary directory.
    void commit();

  private:
    std::string path, tmp_path;
    MPI_Comm    comm;
    bool        committed = false;
  };

  /// Write text to file atomically (tmp + rename). Serial.
  void write_file_atomic(const std::string &filename, const std::string &content);

  /// Tiny JSON builder for summaries (objects of numbers, strings, arrays, objects).
  class Json
  {
  public:
    Json &set(const std::string &key, double value);
    Json &set(const std::string &key, int value) { return set(key, static_cast<double>(value)); }
    Json &set(const std::string &key, unsigned long value) { return set(key, static_cast<double>(value)); }
    Json &set(const std::string &key, const std::string &value);
    Json &set(const std::string &key, const char *value) { return set(key, std::string(value)); }
    Json &set(const std::string &key, bool value);
    Json &set(const std::string &key, const std::vector<double> &values);
    Json &set(const std::string &key, const Json &object);
    std::string str() const;

  private:
    std::vector<std::pair<std::string, std::string>> items; // key, encoded value
  };

  std::string json_escape(const std::string &s);

  /// Path of a file of the source tree (e.g. "postprocess/plot_cell.py"): under
  /// $OT_SOURCE_DIR if that is set, else under the tree this library was built from.
  std::string source_file(const std::string &relative_path);

  /// s in single quotes for /bin/sh (embedded quotes escaped).
  std::string shell_quote(const std::string &s);
} // namespace organtwin
