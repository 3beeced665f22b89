// Readers for triangle surfaces. Gmsh reads STL, PLY and legacy VTK; OBJ and VTP are
// read here (VTP: the subset VTK writes for triangle PolyData).
#include <meshes/gmsh_bridge.h>
#include <meshes/surface_reader.h>

#include <gmsh.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace organtwin::meshes
{
  namespace
  {
    std::string
    lower_extension(const std::string &f)
    {
      const auto d = f.find_last_of('.');
      std::string e = d == std::string::npos ? "" : f.substr(d + 1);
      std::transform(e.begin(), e.end(), e.begin(), ::tolower);
      return e;
    }

    // ---- base64 / zlib --------------------------------------------------------------------
    std::string
    base64_decode(const std::string &in, std::size_t &pos, std::size_t n_bytes)
    {
      static int table[256];
      static bool init = false;
      if (!init)
        {
          std::fill(table, table + 256, -1);
          const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
          for (int i = 0; i < 64; ++i)
            table[static_cast<unsigned char>(a[i])] = i;
          init = true;
        }
      // read groups of 4 characters until n_bytes are produced (whole groups)
      std::string out;
      int         vals[4];
      int         k = 0;
      while (out.size() < n_bytes && pos < in.size())
        {
          const unsigned char c = in[pos++];
          if (c == '=')
            vals[k++] = 0;
          else if (table[c] >= 0)
            vals[k++] = table[c];
          else
            continue;
          if (k == 4)
            {
              out.push_back(static_cast<char>((vals[0] << 2) | (vals[1] >> 4)));
              out.push_back(static_cast<char>(((vals[1] & 15) << 4) | (vals[2] >> 2)));
              out.push_back(static_cast<char>(((vals[2] & 3) << 6) | vals[3]));
              k = 0;
            }
        }
      if (out.size() < n_bytes)
        throw std::runtime_error("truncated base64 data");
      out.resize(n_bytes);
      return out;
    }

    template <typename T>
    T
    read_le(const char *p)
    {
      T v;
      std::memcpy(&v, p, sizeof(T));
      return v;
    }

    struct ByteSource
    {
      const std::string &text;   // base64 text or raw bytes
      std::size_t        pos;
      bool               base64; // else raw
      std::string
      take(std::size_t n)
      {
        if (base64)
          {
            // each chunk is encoded on its own: consume ceil(n/3)*4 characters
            std::size_t p0 = pos;
            std::string s  = base64_decode(text, pos, ((n + 2) / 3) * 3);
            (void)p0;
            s.resize(n);
            return s;
          }
        if (pos + n > text.size())
          throw std::runtime_error("truncated appended data");
        std::string s = text.substr(pos, n);
        pos += n;
        return s;
      }
    };

    /// One data array's bytes (header handled), uncompressed.
    std::string
    array_bytes(ByteSource src, bool compressed, bool header64)
    {
      const std::size_t hs = header64 ? 8 : 4;
      auto              word = [&](const std::string &s, std::size_t i) -> std::uint64_t {
        return header64 ? read_le<std::uint64_t>(s.data() + 8 * i) : read_le<std::uint32_t>(s.data() + 4 * i);
      };
      if (!compressed)
        {
          if (src.base64)
            {
              // VTK encodes header and data separately; the header is the byte count
              std::size_t save = src.pos;
              std::string h    = src.take(hs);
              const auto  n    = word(h, 0);
              std::string d    = src.take(n);
              (void)save;
              return d;
            }
          std::string h = src.take(hs);
          return src.take(word(h, 0));
        }
      // compressed: [nblocks, blocksize, lastblocksize, csize_1..n] then the blocks
      std::size_t save = src.pos;
      std::string h0   = src.take(hs);
      const auto  nb   = word(h0, 0);
      src.pos          = save;
      std::string h    = src.take(hs * (3 + nb));
      const auto  bs = word(h, 1), last = word(h, 2);
      std::uint64_t total_c = 0;
      for (std::uint64_t b = 0; b < nb; ++b)
        total_c += word(h, 3 + b);
      std::string   comp = src.take(total_c);
      std::string   out;
      std::size_t   off = 0;
      for (std::uint64_t b = 0; b < nb; ++b)
        {
          const std::uint64_t csz  = word(h, 3 + b);
          uLongf              usz  = (b + 1 == nb && last != 0) ? last : bs;
          std::string         buf(usz, '\0');
          if (uncompress(reinterpret_cast<Bytef *>(&buf[0]), &usz, reinterpret_cast<const Bytef *>(comp.data() + off),
                         csz) != Z_OK)
            throw std::runtime_error("zlib could not inflate a data block");
          buf.resize(usz);
          out += buf;
          off += csz;
        }
      return out;
    }

    std::string
    attribute(const std::string &tag, const std::string &name)
    {
      const auto p = tag.find(" " + name + "=\"");
      if (p == std::string::npos)
        return "";
      const auto b = p + name.size() + 3;
      return tag.substr(b, tag.find('"', b) - b);
    }

    std::vector<double>
    to_doubles(const std::string &bytes, const std::string &type)
    {
      std::vector<double> v;
      auto                conv = [&](auto dummy) {
        using T = decltype(dummy);
        const std::size_t n = bytes.size() / sizeof(T);
        v.resize(n);
        for (std::size_t i = 0; i < n; ++i)
          v[i] = static_cast<double>(read_le<T>(bytes.data() + i * sizeof(T)));
      };
      if (type == "Float32")
        conv(float());
      else if (type == "Float64")
        conv(double());
      else if (type == "Int8")
        conv(std::int8_t());
      else if (type == "UInt8")
        conv(std::uint8_t());
      else if (type == "Int16")
        conv(std::int16_t());
      else if (type == "UInt16")
        conv(std::uint16_t());
      else if (type == "Int32")
        conv(std::int32_t());
      else if (type == "UInt32")
        conv(std::uint32_t());
      else if (type == "Int64")
        conv(std::int64_t());
      else if (type == "UInt64")
        conv(std::uint64_t());
      else
        throw std::runtime_error("unsupported VTK data type " + type);
      return v;
    }

    TriangleSurface
    read_vtp(const std::string &filename)
    {
      std::ifstream in(filename, std::ios::binary);
      std::string   file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (file.find("type=\"PolyData\"") == std::string::npos)
        throw std::runtime_error("not a VTK XML PolyData file");
      const bool compressed = file.find("compressor=\"vtkZLibDataCompressor\"") != std::string::npos;
      const bool header64   = file.find("header_type=\"UInt64\"") != std::string::npos;
      if (file.find("byte_order=\"BigEndian\"") != std::string::npos)
        throw std::runtime_error("big-endian VTP files are not supported");
      // appended block
      std::size_t app_start = std::string::npos;
      bool        app_raw   = false;
      const auto  ap        = file.find("<AppendedData");
      if (ap != std::string::npos)
        {
          const auto close = file.find('>', ap);
          app_raw          = attribute(file.substr(ap, close - ap), "encoding") == "raw";
          app_start        = file.find('_', close) + 1;
        }
      // section -> array name -> values
      std::map<std::string, std::map<std::string, std::vector<double>>> arrays;
      std::size_t                                                       pos = 0;
      std::string                                                       section;
      const std::size_t limit = ap == std::string::npos ? file.size() : ap;
      while (true)
        {
          const auto t = file.find('<', pos);
          if (t == std::string::npos || t >= limit)
            break;
          const auto e   = file.find('>', t);
          const auto tag = file.substr(t, e - t + 1);
          pos            = e + 1;
          for (const char *s : {"PointData", "CellData", "Points", "Polys", "Verts", "Lines", "Strips", "FieldData"})
            if (tag.rfind(std::string("<") + s, 0) == 0 &&
                (tag[std::strlen(s) + 1] == ' ' || tag[std::strlen(s) + 1] == '>'))
              section = s;
          if (tag.rfind("<DataArray", 0) != 0)
            continue;
          const std::string format = attribute(tag, "format"), type = attribute(tag, "type"),
                            name = attribute(tag, "Name");
          std::vector<double> values;
          if (format == "ascii")
            {
              const auto         end = file.find("</DataArray>", pos);
              std::istringstream s(file.substr(pos, end - pos));
              double             x;
              while (s >> x)
                values.push_back(x);
            }
          else if (format == "binary")
            values = to_doubles(array_bytes(ByteSource{file, pos, true}, compressed, header64), type);
          else if (format == "appended")
            {
              const std::size_t off = std::stoull(attribute(tag, "offset"));
              values = to_doubles(array_bytes(ByteSource{file, app_start + off, !app_raw}, compressed, header64), type);
            }
          arrays[section][name] = std::move(values);
        }
      TriangleSurface s;
      const auto     &pts = arrays["Points"].begin()->second;
      for (std::size_t i = 0; i + 2 < pts.size(); i += 3)
        s.points.push_back({pts[i], pts[i + 1], pts[i + 2]});
      const auto &conn = arrays["Polys"]["connectivity"];
      const auto &offs = arrays["Polys"]["offsets"];
      std::size_t start = 0;
      std::vector<std::size_t> poly_of_triangle;
      for (std::size_t c = 0; c < offs.size(); ++c)
        {
          const std::size_t end = static_cast<std::size_t>(offs[c]);
          // fan-triangulate polygons (VTK surfaces are normally triangles already)
          for (std::size_t k = start + 1; k + 1 < end; ++k)
            {
              s.triangles.push_back({static_cast<unsigned int>(conn[start]), static_cast<unsigned int>(conn[k]),
                                     static_cast<unsigned int>(conn[k + 1])});
              poly_of_triangle.push_back(c);
            }
          start = end;
        }
      // a "class" label: cell data, or point data voted per triangle
      const auto cd = arrays["CellData"].find("class");
      const auto pd = arrays["PointData"].find("class");
      if (cd != arrays["CellData"].end())
        for (const std::size_t c : poly_of_triangle)
          s.labels.push_back(static_cast<int>(cd->second.at(c)));
      else if (pd != arrays["PointData"].end())
        for (const auto &t : s.triangles)
          {
            const int a = pd->second.at(t[0]), b = pd->second.at(t[1]), c = pd->second.at(t[2]);
            s.labels.push_back(a == b || a == c ? a : (b == c ? b : std::min({a, b, c})));
          }
      return s;
    }

    TriangleSurface
    read_obj(const std::string &filename)
    {
      std::ifstream   in(filename);
      TriangleSurface s;
      std::string     line;
      while (std::getline(in, line))
        {
          std::istringstream ls(line);
          std::string        key;
          ls >> key;
          if (key == "v")
            {
              std::array<double, 3> p;
              ls >> p[0] >> p[1] >> p[2];
              s.points.push_back(p);
            }
          else if (key == "f")
            {
              std::vector<long> idx;
              std::string       tok;
              while (ls >> tok)
                {
                  long i = std::stol(tok.substr(0, tok.find('/')));
                  idx.push_back(i < 0 ? static_cast<long>(s.points.size()) + i : i - 1);
                }
              for (std::size_t k = 1; k + 1 < idx.size(); ++k)
                s.triangles.push_back({static_cast<unsigned int>(idx[0]), static_cast<unsigned int>(idx[k]),
                                       static_cast<unsigned int>(idx[k + 1])});
            }
        }
      return s;
    }

    TriangleSurface
    read_with_gmsh(const std::string &filename)
    {
      GmshSession session("surface");
      try
        {
          gmsh::merge(filename);
        }
      catch (...)
        {
          throw std::runtime_error("Gmsh could not read the file");
        }
      TriangleSurface          s;
      std::vector<std::size_t> tags;
      std::vector<double>      coords, param;
      gmsh::model::mesh::getNodes(tags, coords, param, -1, -1, true, false);
      std::unordered_map<std::size_t, unsigned int> index;
      for (std::size_t i = 0; i < tags.size(); ++i)
        {
          index[tags[i]] = i;
          s.points.push_back({coords[3 * i], coords[3 * i + 1], coords[3 * i + 2]});
        }
      std::vector<int>                      types;
      std::vector<std::vector<std::size_t>> et, en;
      gmsh::model::mesh::getElements(types, et, en, 2);
      for (std::size_t t = 0; t < types.size(); ++t)
        {
          if (types[t] != 2)
            throw std::runtime_error("the surface has elements that are not triangles (Gmsh type " +
                                     std::to_string(types[t]) + ")");
          for (std::size_t e = 0; e < et[t].size(); ++e)
            s.triangles.push_back({index.at(en[t][3 * e]), index.at(en[t][3 * e + 1]), index.at(en[t][3 * e + 2])});
        }
      return s;
    }
  } // namespace

  TriangleSurface
  read_surface(const std::string &filename)
  {
    const std::string ext = lower_extension(filename);
    TriangleSurface   s;
    if (ext == "vtp")
      s = read_vtp(filename);
    else if (ext == "obj")
      s = read_obj(filename);
    else if (ext == "stl" || ext == "ply" || ext == "vtk" || ext == "off" || ext == "mesh")
      s = read_with_gmsh(filename);
    else
      throw std::runtime_error("unknown surface format \"." + ext + "\" (expected .stl, .ply, .obj, .vtk or .vtp)");
    if (s.triangles.empty())
      throw std::runtime_error("the file holds no triangles");
    for (const auto &t : s.triangles)
      for (const unsigned int v : t)
        if (v >= s.points.size())
          throw std::runtime_error("a triangle refers to a missing point");
    return s;
  }

  unsigned int
  weld(TriangleSurface &s, double tol)
  {
    std::map<std::array<long long, 3>, unsigned int> cell_of;
    std::vector<unsigned int>                        new_index(s.points.size());
    std::vector<std::array<double, 3>>               pts;
    for (std::size_t i = 0; i < s.points.size(); ++i)
      {
        std::array<long long, 3> key;
        for (unsigned int d = 0; d < 3; ++d)
          key[d] = std::llround(s.points[i][d] / tol);
        const auto it = cell_of.find(key);
        if (it == cell_of.end())
          {
            cell_of[key]  = pts.size();
            new_index[i]  = pts.size();
            pts.push_back(s.points[i]);
          }
        else
          new_index[i] = it->second;
      }
    std::vector<std::array<unsigned int, 3>> tris;
    std::vector<int>                         labels;
    unsigned int                             removed = 0;
    for (std::size_t t = 0; t < s.triangles.size(); ++t)
      {
        std::array<unsigned int, 3> n{new_index[s.triangles[t][0]], new_index[s.triangles[t][1]],
                                      new_index[s.triangles[t][2]]};
        if (n[0] == n[1] || n[1] == n[2] || n[0] == n[2])
          {
            ++removed;
            continue;
          }
        tris.push_back(n);
        if (!s.labels.empty())
          labels.push_back(s.labels[t]);
      }
    s.points    = std::move(pts);
    s.triangles = std::move(tris);
    s.labels    = std::move(labels);
    return removed;
  }

  SurfaceTopology
  analyse(const TriangleSurface &s)
  {
    SurfaceTopology r;
    std::map<std::pair<unsigned int, unsigned int>, unsigned int> edges;
    double                                                        edge_sum = 0;
    for (unsigned int d = 0; d < 3; ++d)
      {
        r.lower[d] = 1e300;
        r.upper[d] = -1e300;
      }
    for (const auto &p : s.points)
      for (unsigned int d = 0; d < 3; ++d)
        {
          r.lower[d] = std::min(r.lower[d], p[d]);
          r.upper[d] = std::max(r.upper[d], p[d]);
        }
    for (const auto &t : s.triangles)
      {
        const auto &a = s.points[t[0]], &b = s.points[t[1]], &c = s.points[t[2]];
        const double u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]}, v[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
        const double n[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
        const double area = 0.5 * std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        r.area += area;
        r.volume += (a[0] * n[0] + a[1] * n[1] + a[2] * n[2]) / 6;
        for (unsigned int k = 0; k < 3; ++k)
          {
            const unsigned int i = t[k], j = t[(k + 1) % 3];
            ++edges[{std::min(i, j), std::max(i, j)}];
            const auto &p = s.points[i], &q = s.points[j];
            edge_sum += std::sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) +
                                  (p[2] - q[2]) * (p[2] - q[2]));
          }
      }
    const double diag = std::sqrt(std::pow(r.upper[0] - r.lower[0], 2) + std::pow(r.upper[1] - r.lower[1], 2) +
                                  std::pow(r.upper[2] - r.lower[2], 2));
    r.mean_edge = edge_sum / (3. * s.triangles.size());
    for (const auto &t : s.triangles)
      {
        const auto &a = s.points[t[0]], &b = s.points[t[1]], &c = s.points[t[2]];
        const double u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]}, v[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
        const double n[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
        if (std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]) < 1e-12 * diag * diag)
          ++r.n_degenerate;
      }
    for (const auto &[e, n] : edges)
      {
        if (n == 1)
          {
            if (r.n_boundary_edges == 0)
              for (unsigned int d = 0; d < 3; ++d)
                r.example_open_edge[d] = 0.5 * (s.points[e.first][d] + s.points[e.second][d]);
            ++r.n_boundary_edges;
          }
        else if (n > 2)
          ++r.n_nonmanifold_edges;
      }
    return r;
  }
} // namespace organtwin::meshes
