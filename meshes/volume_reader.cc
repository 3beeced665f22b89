// Volume meshes from .vtu / legacy .vtk files with cell data and fibres (see volume_reader.h).
#include <deal.II/base/mpi.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/grid/tria.h>

#include <meshes/volume_reader.h>
#include <solvers/common/parameters.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <set>
#include <unordered_map>

namespace organtwin::meshes
{
  using namespace dealii;

  namespace
  {
    const char *
    vtk_cell_name(unsigned int t)
    {
      switch (t)
        {
          case 1: return "vertex";
          case 3: return "line";
          case 5: return "triangle";
          case 7: return "polygon";
          case 8: return "pixel";
          case 9: return "quad";
          case 10: return "tetra";
          case 11: return "voxel";
          case 12: return "hexahedron";
          case 13: return "wedge";
          case 14: return "pyramid";
          case 22: return "quadratic triangle";
          case 24: return "quadratic tetra";
          case 25: return "quadratic hexahedron";
          default: return "other";
        }
    }

    // ---- .vtu -------------------------------------------------------------------------
    VolumeFile
    read_vtu(const std::string &filename)
    {
      vtk::Sections s = vtk::read_xml(filename, "UnstructuredGrid");
      VolumeFile    v;
      if (s["Points"].empty())
        throw std::runtime_error("no Points array");
      const auto &pts = s["Points"].begin()->second;
      if (pts.n_components != 3)
        throw std::runtime_error("the Points array has " + std::to_string(pts.n_components) + " components, expected 3");
      v.points.resize(pts.n_tuples());
      for (std::size_t i = 0; i < v.points.size(); ++i)
        for (unsigned int d = 0; d < 3; ++d)
          v.points[i][d] = pts.values[3 * i + d];
      auto &cells = s["Cells"];
      for (const char *n : {"connectivity", "offsets", "types"})
        if (!cells.count(n))
          throw std::runtime_error(std::string("the Cells section has no \"") + n + "\" array");
      const auto &off = cells["offsets"].values, &conn = cells["connectivity"].values, &ty = cells["types"].values;
      if (off.size() != ty.size())
        throw std::runtime_error("Cells: " + std::to_string(off.size()) + " offsets but " + std::to_string(ty.size()) +
                                 " types");
      v.offsets.assign(1, 0);
      for (std::size_t c = 0; c < off.size(); ++c)
        {
          if (off[c] < v.offsets.back() || off[c] > conn.size())
            throw std::runtime_error("Cells: offset of cell " + std::to_string(c) + " out of range");
          v.offsets.push_back(static_cast<std::uint64_t>(off[c]));
          v.types.push_back(static_cast<std::uint8_t>(ty[c]));
        }
      v.connectivity.assign(conn.begin(), conn.end());
      v.point_data = std::move(s["PointData"]);
      v.cell_data  = std::move(s["CellData"]);
      v.field_data = std::move(s["FieldData"]);
      return v;
    }

    // ---- legacy .vtk --------------------------------------------------------------------
    class LegacyReader
    {
    public:
      explicit LegacyReader(const std::string &filename)
      {
        std::ifstream in(filename, std::ios::binary);
        if (!in)
          throw std::runtime_error("cannot open the file");
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (text.rfind("# vtk DataFile", 0) != 0)
          throw std::runtime_error("not a legacy VTK file (first line must start with \"# vtk DataFile\")");
        skip_line(); // version
        skip_line(); // title
        const std::string fmt = upper(token());
        if (fmt != "ASCII" && fmt != "BINARY")
          throw std::runtime_error("third line must be ASCII or BINARY, not \"" + fmt + "\"");
        binary = fmt == "BINARY";
      }

      VolumeFile
      read()
      {
        VolumeFile  v;
        std::string where; // "POINT_DATA" or "CELL_DATA"
        std::size_t n_where = 0;
        if (upper(token()) != "DATASET" || upper(token()) != "UNSTRUCTURED_GRID")
          throw std::runtime_error("only DATASET UNSTRUCTURED_GRID is read");
        while (true)
          {
            const std::string key = upper(token());
            if (key.empty())
              break;
            if (key == "POINTS")
              {
                const std::size_t n = count();
                const auto        x = values(3 * n, token());
                v.points.resize(n);
                for (std::size_t i = 0; i < n; ++i)
                  for (unsigned int d = 0; d < 3; ++d)
                    v.points[i][d] = x[3 * i + d];
              }
            else if (key == "CELLS")
              {
                const std::size_t a = count(), b = count();
                const std::size_t save = pos;
                if (upper(token()) == "OFFSETS") // VTK 5.1: offsets and connectivity arrays
                  {
                    const auto off = values(a, token());
                    if (upper(token()) != "CONNECTIVITY")
                      throw std::runtime_error("CELLS: CONNECTIVITY expected after OFFSETS");
                    const auto conn = values(b, token());
                    v.offsets.assign(off.begin(), off.end());
                    v.connectivity.assign(conn.begin(), conn.end());
                  }
                else // VTK <= 4.2: n, i_1 .. i_n per cell
                  {
                    pos            = save;
                    const auto all = values(b, "int");
                    v.offsets.assign(1, 0);
                    for (std::size_t i = 0, c = 0; c < a; ++c)
                      {
                        if (i >= all.size())
                          throw std::runtime_error("CELLS: the cell list is shorter than announced");
                        const auto n = static_cast<std::size_t>(all[i]);
                        if (i + 1 + n > all.size())
                          throw std::runtime_error("CELLS: cell " + std::to_string(c) + " runs past the list");
                        v.connectivity.insert(v.connectivity.end(), all.begin() + i + 1, all.begin() + i + 1 + n);
                        v.offsets.push_back(v.connectivity.size());
                        i += 1 + n;
                      }
                  }
              }
            else if (key == "CELL_TYPES")
              {
                const auto t = values(count(), "int");
                v.types.assign(t.begin(), t.end());
              }
            else if (key == "POINT_DATA" || key == "CELL_DATA")
              {
                where   = key;
                n_where = count();
              }
            else if (key == "SCALARS" || key == "VECTORS" || key == "NORMALS" || key == "TENSORS" ||
                     key == "COLOR_SCALARS")
              {
                const std::string name = token();
                vtk::Array        a;
                if (key == "COLOR_SCALARS")
                  {
                    a.n_components = count();
                    a.values       = values(n_where * a.n_components, binary ? "unsigned_char" : "float");
                  }
                else
                  {
                    const std::string type = token();
                    a.n_components         = key == "VECTORS" || key == "NORMALS" ? 3 : key == "TENSORS" ? 9 : 1;
                    if (key == "SCALARS")
                      {
                        // optional component count, then optional LOOKUP_TABLE <name>
                        const std::size_t save = pos;
                        const std::string t    = token();
                        if (!t.empty() && std::isdigit(static_cast<unsigned char>(t[0])))
                          a.n_components = std::stoul(t);
                        else
                          pos = save;
                        const std::size_t save2 = pos;
                        if (upper(token()) == "LOOKUP_TABLE")
                          token();
                        else
                          pos = save2;
                      }
                    a.values = values(n_where * a.n_components, type);
                  }
                data(v, where)[name] = std::move(a);
              }
            else if (key == "FIELD")
              {
                token(); // field name
                const std::size_t k = count();
                for (std::size_t i = 0; i < k; ++i)
                  {
                    const std::string name = token();
                    vtk::Array        a;
                    a.n_components         = count();
                    const std::size_t nt   = count();
                    a.values               = values(nt * a.n_components, token());
                    (where.empty() ? v.field_data : data(v, where))[name] = std::move(a);
                  }
              }
            else if (key == "LOOKUP_TABLE")
              {
                token();
                const std::size_t n = count();
                values(4 * n, binary ? "unsigned_char" : "float");
              }
            else if (key == "METADATA")
              {
                // VTK 9 writes METADATA / INFORMATION <n> after arrays; only n = 0 is skipped
                if (upper(token()) != "INFORMATION" || count() != 0)
                  throw std::runtime_error("METADATA blocks with entries are not read");
              }
            else
              throw std::runtime_error("unsupported keyword \"" + key + "\"");
          }
        if (v.offsets.empty())
          throw std::runtime_error("no CELLS");
        if (v.types.size() + 1 != v.offsets.size())
          throw std::runtime_error("CELL_TYPES has " + std::to_string(v.types.size()) + " entries for " +
                                   std::to_string(v.offsets.size() - 1) + " cells");
        return v;
      }

    private:
      std::string text;
      std::size_t pos    = 0;
      bool        binary = false;

      static std::string
      upper(std::string s)
      {
        std::transform(s.begin(), s.end(), s.begin(), ::toupper);
        return s;
      }
      static std::map<std::string, vtk::Array> &
      data(VolumeFile &v, const std::string &where)
      {
        if (where.empty())
          throw std::runtime_error("a data array before POINT_DATA or CELL_DATA");
        return where == "POINT_DATA" ? v.point_data : v.cell_data;
      }
      void
      skip_line()
      {
        const auto e = text.find('\n', pos);
        pos          = e == std::string::npos ? text.size() : e + 1;
      }
      std::string
      token()
      {
        while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])))
          ++pos;
        const std::size_t b = pos;
        while (pos < text.size() && !std::isspace(static_cast<unsigned char>(text[pos])))
          ++pos;
        return text.substr(b, pos - b);
      }
      std::size_t
      count()
      {
        const std::string t = token();
        char             *e = nullptr;
        const long long   n = std::strtoll(t.c_str(), &e, 10);
        if (t.empty() || *e != '\0' || n < 0)
          throw std::runtime_error("expected a count, found \"" + t + "\"");
        return static_cast<std::size_t>(n);
      }
      std::vector<double>
      values(std::size_t n, const std::string &type_in)
      {
        std::vector<double> v(n);
        if (!binary)
          {
            for (std::size_t i = 0; i < n; ++i)
              {
                while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])))
                  ++pos;
                char *e = nullptr;
                v[i]    = std::strtod(text.c_str() + pos, &e);
                if (e == text.c_str() + pos)
                  throw std::runtime_error("expected " + std::to_string(n) + " numbers, found \"" +
                                           text.substr(pos, 20) + "\" at number " + std::to_string(i));
                pos = e - text.c_str();
              }
            return v;
          }
        // binary: big endian, starting after the end of the keyword line
        const std::string type = type_in;
        std::size_t       size = 0;
        bool              flt = false, sgn = true;
        if (type == "float")
          size = 4, flt = true;
        else if (type == "double")
          size = 8, flt = true;
        else if (type == "int" || type == "vtkIdType")
          size = 4;
        else if (type == "unsigned_int")
          size = 4, sgn = false;
        else if (type == "long" || type == "vtktypeint64")
          size = 8;
        else if (type == "unsigned_long" || type == "vtktypeuint64")
          size = 8, sgn = false;
        else if (type == "short")
          size = 2;
        else if (type == "unsigned_short")
          size = 2, sgn = false;
        else if (type == "char")
          size = 1;
        else if (type == "unsigned_char")
          size = 1, sgn = false;
        else
          throw std::runtime_error("unsupported binary data type \"" + type + "\"");
        skip_line();
        if (pos + n * size > text.size())
          throw std::runtime_error("binary data truncated");
        for (std::size_t i = 0; i < n; ++i, pos += size)
          {
            unsigned char b[8];
            for (std::size_t k = 0; k < size; ++k)
              b[k] = static_cast<unsigned char>(text[pos + size - 1 - k]); // to little endian
            if (flt && size == 4)
              {
                float x;
                std::memcpy(&x, b, 4);
                v[i] = x;
              }
            else if (flt)
              std::memcpy(&v[i], b, 8);
            else
              {
                std::uint64_t u = 0;
                std::memcpy(&u, b, size);
                if (sgn && size < 8 && (u >> (8 * size - 1)))
                  u |= ~0ull << (8 * size);
                v[i] = sgn ? static_cast<double>(static_cast<std::int64_t>(u)) : static_cast<double>(u);
              }
          }
        return v;
      }
    };

    /// "endo:1; epi:2" -> id -> name
    std::map<unsigned int, std::string>
    parse_id_names(const std::string &text, const std::string &where)
    {
      std::map<unsigned int, std::string> out;
      for (const auto &item : Utilities::split_string_list(text, ';'))
        {
          if (item.empty())
            continue;
          const auto kv = Utilities::split_string_list(item, ':');
          char      *e  = nullptr;
          const long id = kv.size() == 2 ? std::strtol(kv[1].c_str(), &e, 10) : -1;
          input_check(kv.size() == 2 && !kv[0].empty() && e && *e == '\0' && id >= 0, where + " = \"" + text + "\"",
                      "expected \"name: id; name: id\" with integer ids >= 0, got \"" + item + "\"");
          input_check(out.count(id) == 0, where + " = \"" + text + "\"", "id " + std::to_string(id) + " is named twice");
          out[id] = kv[0];
        }
      return out;
    }

    bool
    is_volume(unsigned int t)
    {
      return t == 10 || t == 11 || t == 12;
    }
    bool
    is_face(unsigned int t)
    {
      return t == 5 || t == 9;
    }
  } // namespace

  VolumeFile
  read_volume_file(const std::string &filename)
  {
    const std::string ext = vtk::lower_extension(filename);
    VolumeFile        v   = ext == "vtu" ? read_vtu(filename) : LegacyReader(filename).read();
    for (const std::uint64_t i : v.connectivity)
      if (i >= v.points.size())
        throw std::runtime_error("a cell refers to point " + std::to_string(i) + " but there are " +
                                 std::to_string(v.points.size()) + " points");
    return v;
  }

  void
  import_volume(const MeshParameters &p, SerialMesh &out, std::vector<double> &fibres)
  {
    const std::string file_where = p.prm_deck + ": [Mesh/File] = \"" + p.prm_file + "\"";
    VolumeFile        v;
    try
      {
        v = read_volume_file(p.prm_file);
      }
    catch (const std::exception &e)
      {
        throw InputError(file_where + ": cannot read the " +
                         (vtk::lower_extension(p.prm_file) == "vtu" ? std::string("VTK XML UnstructuredGrid (.vtu)")
                                                                    : std::string("legacy VTK UNSTRUCTURED_GRID (.vtk)")) +
                         " file: " + e.what());
      }
    const std::size_t n_all = v.types.size();
    auto array_list = [](const std::map<std::string, vtk::Array> &m) {
      std::string s;
      for (const auto &[n, a] : m)
        s += (s.empty() ? "\"" : ", \"") + n + "\" (" + std::to_string(a.n_components) + ")";
      return s.empty() ? std::string("none") : s;
    };

    // ---- cell types -----------------------------------------------------------------------
    std::vector<std::size_t> volume_cells, face_cells;
    unsigned int             volume_type = 0;
    for (std::size_t c = 0; c < n_all; ++c)
      {
        const unsigned int t = v.types[c], nv = v.offsets[c + 1] - v.offsets[c];
        const unsigned int expected = t == 10 ? 4 : t == 11 || t == 12 ? 8 : t == 5 ? 3 : t == 9 ? 4 : nv;
        input_check(nv == expected, file_where,
                    "cell " + std::to_string(c) + " (VTK type " + std::to_string(t) + ", " + vtk_cell_name(t) + ") has " +
                      std::to_string(nv) + " points, expected " + std::to_string(expected));
        if (is_volume(t))
          {
            const unsigned int kind = t == 10 ? 10 : 12;
            input_check(volume_type == 0 || volume_type == kind, file_where,
                        "mixes tetrahedra and hexahedra (cell " + std::to_string(c) +
                          "); expected one element type (mixed meshes are not supported)");
            volume_type = kind;
            volume_cells.push_back(c);
          }
        else if (is_face(t))
          face_cells.push_back(c);
        else
          input_check(t == 1 || t == 2 || t == 3 || t == 4, file_where,
                      "cell " + std::to_string(c) + " has the unsupported VTK cell type " + std::to_string(t) + " (" +
                        vtk_cell_name(t) +
                        "); expected 10 (tetra) or 12 (hexahedron) volume cells, with 5 (triangle) or 9 (quad) "
                        "boundary faces (vertices and lines are ignored)");
      }
    input_check(!volume_cells.empty(), file_where, "holds no tetrahedra (VTK type 10) or hexahedra (12)");
    const bool   simplex = volume_type == 10;
    const double limit   = p.prm_max_memory_gb > 0 ? p.prm_max_memory_gb : available_memory_gb();
    const double gb      = volume_cells.size() * (simplex ? 1.5e3 : 4e3) / (1024. * 1024 * 1024);
    input_check(gb < limit, file_where,
                "has " + std::to_string(volume_cells.size()) + " cells needing about " + std::to_string(gb) +
                  " GiB, more than the " + std::to_string(limit) + " GiB available ([Mesh/Maximum memory])");

    // ---- points: finite, in mm, coincident ones merged (deal.II DataOut writes every cell
    // with its own copies of its vertices) ------------------------------------------------------
    std::vector<Point<3>>     vertices;
    std::vector<unsigned int> new_index(v.points.size(), numbers::invalid_unsigned_int);
    std::vector<bool>         used(v.points.size(), false);
    for (const std::size_t c : volume_cells)
      for (std::uint64_t k = v.offsets[c]; k < v.offsets[c + 1]; ++k)
        used[v.connectivity[k]] = true;
    struct Hash
    {
      std::size_t
      operator()(const std::array<double, 3> &x) const
      {
        std::size_t h = 0;
        for (const double d : x)
          h = h * 1000003u ^ std::hash<double>()(d);
        return h;
      }
    };
    std::unordered_map<std::array<double, 3>, unsigned int, Hash> merged;
    for (std::size_t i = 0; i < v.points.size(); ++i)
      {
        const auto &x = v.points[i];
        input_check(std::isfinite(x[0]) && std::isfinite(x[1]) && std::isfinite(x[2]), file_where,
                    "point " + std::to_string(i) + " has a non-finite coordinate (" + std::to_string(x[0]) + ", " +
                      std::to_string(x[1]) + ", " + std::to_string(x[2]) + "); expected finite numbers");
        if (!used[i])
          continue;
        const auto [it, fresh] = merged.emplace(x, static_cast<unsigned int>(vertices.size()));
        if (fresh)
          vertices.emplace_back(x[0] * p.prm_unit_to_mm, x[1] * p.prm_unit_to_mm, x[2] * p.prm_unit_to_mm);
        new_index[i] = it->second;
      }

    // ---- integer cell arrays ------------------------------------------------------------------
    auto int_cell_array = [&](const std::string &name, const std::string &entry, const std::vector<std::size_t> &cells,
                              const char *what) {
      std::vector<unsigned int> ids(cells.size(), 0);
      if (name.empty())
        return ids;
      const std::string where = p.prm_deck + ": [Mesh/" + entry + "] = \"" + name + "\"";
      const auto        it    = v.cell_data.find(name);
      input_check(it != v.cell_data.end(), where,
                  "is not a cell array of " + p.prm_file + "; its cell arrays (components): " + array_list(v.cell_data));
      input_check(it->second.n_components == 1 && it->second.values.size() == n_all, where,
                  "must have one integer value per cell of " + p.prm_file + " (" + std::to_string(n_all) +
                    " cells); it has " + std::to_string(it->second.n_components) + " component(s) and " +
                    std::to_string(it->second.values.size()) + " values");
      for (std::size_t i = 0; i < cells.size(); ++i)
        {
          const double x = it->second.values[cells[i]];
          input_check(x >= 0 && x == std::floor(x) && x < 1e9, where,
                      std::string("the value on ") + what + " " + std::to_string(cells[i]) + " is " + std::to_string(x) +
                        "; expected integers >= 0");
          ids[i] = static_cast<unsigned int>(x);
        }
      return ids;
    };
    const auto materials = int_cell_array(p.prm_material_array, "Material array", volume_cells, "cell");
    const auto face_tags = int_cell_array(p.prm_boundary_array, "Boundary array", face_cells, "face cell");
    if (!p.prm_boundary_array.empty())
      input_check(!face_cells.empty(), p.prm_deck + ": [Mesh/Boundary array] = \"" + p.prm_boundary_array + "\"",
                  "needs triangle (VTK type 5) or quad (9) cells in " + p.prm_file +
                    " to carry the boundary tags; the file has none");

    // ---- cells, orientation -------------------------------------------------------------------
    // VTK hexahedron 0-1-2-3 (bottom, counter-clockwise), 4-7 (top) -> deal.II lexicographic
    static const unsigned int hex_order[8] = {0, 1, 3, 2, 4, 5, 7, 6};
    std::vector<CellData<3>>  cells;
    cells.reserve(volume_cells.size());
    unsigned int n_reoriented = 0, n_flat = 0;
    std::size_t  first_flat = 0;
    for (std::size_t i = 0; i < volume_cells.size(); ++i)
      {
        const std::size_t c = volume_cells[i];
        const unsigned int t = v.types[c];
        CellData<3>        cd(t == 10 ? 4 : 8);
        for (unsigned int k = 0; k < cd.vertices.size(); ++k)
          cd.vertices[k] = new_index[v.connectivity[v.offsets[c] + (t == 12 ? hex_order[k] : k)]];
        cd.material_id = materials[i];
        if (simplex)
          {
            const Point<3> &a = vertices[cd.vertices[0]], &b = vertices[cd.vertices[1]], &q = vertices[cd.vertices[2]],
                           &d = vertices[cd.vertices[3]];
            const double six_v = (b - a) * cross_product_3d(q - a, d - a);
            const double l     = std::max({a.distance(b), a.distance(q), a.distance(d), b.distance(q), b.distance(d),
                                           q.distance(d)});
            if (std::abs(six_v) <= 1e-12 * l * l * l)
              {
                if (n_flat++ == 0)
                  first_flat = c;
              }
            else if (six_v < 0) // negatively oriented (as deal.II's .msh reader does): swap two corners
              {
                std::swap(cd.vertices[1], cd.vertices[2]);
                ++n_reoriented;
              }
          }
        cells.push_back(std::move(cd));
      }
    input_check(n_flat == 0, file_where,
                std::to_string(n_flat) + " tetrahedra are flat (zero volume), the first is cell " +
                  std::to_string(first_flat) + "; expected tetrahedra with a positive volume");
    if (!simplex)
      GridTools::consistently_order_cells(cells);
    out.tria.clear();
    try
      {
        out.tria.create_triangulation(vertices, cells, SubCellData());
      }
    catch (const std::exception &e)
      {
        throw InputError(file_where + ": deal.II refused the cells: " + e.what());
      }
    unsigned int n_bad = 0;
    double       vmin  = 1e300, hmin = 1e300;
    for (const auto &cell : out.tria.active_cell_iterators())
      {
        const double m = cell->measure();
        vmin           = std::min(vmin, m);
        n_bad += (m <= 0);
        hmin = std::min(hmin, cell->minimum_vertex_distance());
      }
    input_check(n_bad == 0, file_where,
                std::to_string(n_bad) + " element(s) are inverted or degenerate (smallest signed volume " +
                  std::to_string(vmin) + " mm^3); expected positively oriented elements");
    out.h = hmin;

    // ---- boundary tags and names -----------------------------------------------------------
    std::map<std::array<unsigned int, 4>, unsigned int> tag_of_face;
    unsigned int                                       n_unmatched = 0;
    for (std::size_t i = 0; i < face_cells.size() && !p.prm_boundary_array.empty(); ++i)
      {
        const std::size_t            c = face_cells[i];
        std::array<unsigned int, 4> k{{0, 0, 0, numbers::invalid_unsigned_int}};
        bool                         ok = true;
        for (std::uint64_t j = v.offsets[c]; j < v.offsets[c + 1]; ++j)
          {
            const unsigned int n = new_index[v.connectivity[j]];
            ok                   = ok && n != numbers::invalid_unsigned_int;
            k[j - v.offsets[c]]  = n;
          }
        if (!ok)
          {
            ++n_unmatched;
            continue;
          }
        std::sort(k.begin(), k.end());
        tag_of_face[k] = face_tags[i];
      }
    std::set<unsigned int> ids_present;
    std::size_t            n_tagged = 0;
    bool                   untagged = false;
    for (const auto &cell : out.tria.active_cell_iterators())
      for (const unsigned int f : cell->face_indices())
        if (cell->face(f)->at_boundary())
          {
            std::array<unsigned int, 4> k{{0, 0, 0, numbers::invalid_unsigned_int}};
            for (unsigned int j = 0; j < cell->face(f)->n_vertices(); ++j)
              k[j] = cell->face(f)->vertex_index(j);
            std::sort(k.begin(), k.end());
            const auto it = tag_of_face.find(k);
            cell->face(f)->set_boundary_id(it == tag_of_face.end() ? 0 : it->second);
            if (it == tag_of_face.end())
              untagged = true;
            else
              {
                ++n_tagged;
                ids_present.insert(it->second);
              }
          }
    const std::size_t n_interior = tag_of_face.size() > n_tagged ? tag_of_face.size() - n_tagged : 0;
    // names: the deck, else the names an OrganTwin export stored as field data, else id<k>
    const std::string names_where = p.prm_deck + ": [Mesh/Boundary names]";
    auto              names       = parse_id_names(p.prm_boundary_names, names_where);
    std::map<unsigned int, std::string> material_names;
    for (const auto &[n, a] : v.field_data)
      for (const auto &[prefix, target] :
           {std::make_pair(std::string("OrganTwin boundary "), &names), std::make_pair(std::string("OrganTwin material "), &material_names)})
        if (n.rfind(prefix, 0) == 0 && a.values.size() == 1 && a.values[0] >= 0 &&
            (target != &names || p.prm_boundary_names.empty()))
          (*target)[static_cast<unsigned int>(a.values[0])] = n.substr(prefix.size());
    for (const auto &[id, n] : parse_id_names(p.prm_boundary_names, names_where))
      input_check(ids_present.count(id) > 0, names_where + " = \"" + p.prm_boundary_names + "\"",
                  "names id " + std::to_string(id) + " (\"" + n + "\") but no boundary face of " + p.prm_file +
                    " carries it in the Boundary array (ids present: " +
                    [&]() {
                      std::string s;
                      for (const unsigned int i : ids_present)
                        s += (s.empty() ? "" : ", ") + std::to_string(i);
                      return s.empty() ? std::string("none") : s;
                    }() +
                    ")");
    if (untagged && !ids_present.count(0) && !names.count(0))
      names[0] = "untagged";
    if (untagged)
      ids_present.insert(0);
    out.boundary_names.clear();
    for (const unsigned int id : ids_present)
      {
        const std::string n = names.count(id) ? names[id] : "id" + std::to_string(id);
        input_check(out.boundary_names.count(n) == 0, names_where, "the name \"" + n + "\" is given to two ids");
        out.boundary_names[n] = id;
      }
    std::set<unsigned int> mats;
    for (const unsigned int m : materials)
      mats.insert(m);
    out.material_names.clear();
    for (const auto &[id, n] : material_names)
      if (mats.count(id))
        out.material_names[n] = id;
    std::ostringstream note;
    if (n_reoriented > 0)
      note << n_reoriented << " negatively oriented tetrahedra reoriented";
    if (n_interior + n_unmatched > 0)
      note << (note.str().empty() ? "" : "; ") << n_interior + n_unmatched
           << " face cells are not on the boundary (ignored)";
    out.note = note.str();

    // ---- fibres --------------------------------------------------------------------------------
    fibres.clear();
    if (p.prm_fibre_array.empty())
      return;
    // per volume cell: a unit vector from a cell array or the mean of a point array (point
    // vectors aligned with the first one: a fibre and its negative are the same direction)
    auto cell_vectors = [&](const std::string &name, const std::string &entry) {
      const std::string where = p.prm_deck + ": [Mesh/" + entry + "] = \"" + name + "\"";
      const auto        ic    = v.cell_data.find(name);
      const auto        ip    = v.point_data.find(name);
      input_check(ic != v.cell_data.end() || ip != v.point_data.end(), where,
                  "is neither a cell nor a point array of " + p.prm_file + "; cell arrays: " + array_list(v.cell_data) +
                    "; point arrays: " + array_list(v.point_data));
      const bool        on_cells = ic != v.cell_data.end();
      const vtk::Array &a        = on_cells ? ic->second : ip->second;
      const std::size_t n_expect = on_cells ? n_all : v.points.size();
      input_check(a.n_components == 3 && a.values.size() == 3 * n_expect, where,
                  std::string("must be a vector array with 3 components per ") + (on_cells ? "cell" : "point") + " (" +
                    std::to_string(n_expect) + "); it has " + std::to_string(a.n_components) + " component(s) and " +
                    std::to_string(a.values.size()) + " values");
      std::vector<Tensor<1, 3>> out_v(volume_cells.size());
      std::size_t               n_zero = 0, first_zero = 0;
      for (std::size_t i = 0; i < volume_cells.size(); ++i)
        {
          const std::size_t c = volume_cells[i];
          Tensor<1, 3>      x;
          if (on_cells)
            for (unsigned int d = 0; d < 3; ++d)
              x[d] = a.values[3 * c + d];
          else
            {
              Tensor<1, 3> first;
              for (std::uint64_t j = v.offsets[c]; j < v.offsets[c + 1]; ++j)
                {
                  Tensor<1, 3> y;
                  for (unsigned int d = 0; d < 3; ++d)
                    y[d] = a.values[3 * v.connectivity[j] + d];
                  if (j == v.offsets[c])
                    first = y;
                  x += (y * first < 0 ? -1. : 1.) * y;
                }
            }
          const double n = x.norm();
          if (!(n > 1e-12) || !std::isfinite(n))
            {
              if (n_zero++ == 0)
                first_zero = c;
              continue;
            }
          out_v[i] = x / n;
        }
      input_check(n_zero == 0, where,
                  std::to_string(n_zero) + " cell(s) get a zero-length or non-finite vector, the first is cell " +
                    std::to_string(first_zero) + "; expected a nonzero direction everywhere" +
                    (on_cells ? "" : " (point vectors are averaged over each cell's points)"));
      return out_v;
    };
    const auto f = cell_vectors(p.prm_fibre_array, "Fibre array");
    std::vector<Tensor<1, 3>> s;
    if (!p.prm_sheet_array.empty())
      s = cell_vectors(p.prm_sheet_array, "Sheet array");
    fibres.resize(6 * f.size());
    for (std::size_t i = 0; i < f.size(); ++i)
      {
        Tensor<1, 3> sh;
        if (!s.empty())
          {
            sh = s[i] - (s[i] * f[i]) * f[i]; // orthogonalise against the fibre
            input_check(sh.norm() > 1e-6, p.prm_deck + ": [Mesh/Sheet array] = \"" + p.prm_sheet_array + "\"",
                        "the sheet of cell " + std::to_string(volume_cells[i]) +
                          " is parallel to its fibre; expected a sheet direction across the fibre");
          }
        else
          {
            // no sheet given: any direction normal to the fibre (for transversely isotropic
            // conductivities, sheet = normal, it does not matter which)
            unsigned int k = 0;
            for (unsigned int d = 1; d < 3; ++d)
              if (std::abs(f[i][d]) < std::abs(f[i][k]))
                k = d;
            Tensor<1, 3> e;
            e[k] = 1;
            sh   = e - (e * f[i]) * f[i];
          }
        sh /= sh.norm();
        for (unsigned int d = 0; d < 3; ++d)
          {
            fibres[6 * i + d]     = f[i][d];
            fibres[6 * i + 3 + d] = sh[d];
          }
      }
  }

  void
  attach_fibres_by_coarse_id(Mesh &mesh, const std::vector<double> &fibres_on_root, MPI_Comm comm)
  {
    const auto all = Utilities::MPI::broadcast(comm, fibres_on_root, 0);
    if (all.empty())
      return;
    mesh.cell_fibre.assign(mesh.tria->n_active_cells(), Tensor<1, 3>());
    mesh.cell_sheet.assign(mesh.tria->n_active_cells(), Tensor<1, 3>());
    for (const auto &cell : mesh.tria->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const std::size_t i = cell->id().get_coarse_cell_id();
          AssertThrow(6 * i + 5 < all.size(), ExcMessage("a distributed cell has no fibre of the serial mesh"));
          for (unsigned int d = 0; d < 3; ++d)
            {
              mesh.cell_fibre[cell->active_cell_index()][d] = all[6 * i + d];
              mesh.cell_sheet[cell->active_cell_index()][d] = all[6 * i + 3 + d];
            }
        }
  }
} // namespace organtwin::meshes
