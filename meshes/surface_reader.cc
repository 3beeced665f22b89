// Readers for triangle surfaces. Gmsh reads STL, PLY and legacy VTK; OBJ and VTP are
// read here (VTP: the subset VTK writes for triangle PolyData).
#include <meshes/gmsh_bridge.h>
#include <meshes/surface_reader.h>
#include <meshes/vec3.h>
#include <meshes/vtk_data.h>

#include <gmsh.h>

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
    TriangleSurface
    read_vtp(const std::string &filename)
    {
      const vtk::Sections arrays_in = vtk::read_xml(filename, "PolyData");
      std::map<std::string, std::map<std::string, std::vector<double>>> arrays;
      for (const auto &[sec, named] : arrays_in)
        for (const auto &[name, a] : named)
          arrays[sec][name] = a.values;
      if (arrays["Points"].empty())
        throw std::runtime_error("no Points array");
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
    const std::string ext = vtk::lower_extension(filename);
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
  weld(TriangleSurface &s, double tol, std::vector<std::size_t> *kept)
  {
    if (kept)
      kept->clear();
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
        if (kept)
          kept->push_back(t);
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
        const auto &a = s.points[t[0]];
        const Vec3  n = vec3::area_normal(a, s.points[t[1]], s.points[t[2]]);
        r.area += 0.5 * vec3::norm(n);
        r.volume += vec3::dot(a, n) / 6;
        for (unsigned int k = 0; k < 3; ++k)
          {
            const unsigned int i = t[k], j = t[(k + 1) % 3];
            ++edges[{std::min(i, j), std::max(i, j)}];
            edge_sum += vec3::norm(vec3::sub(s.points[i], s.points[j]));
          }
      }
    const double diag = vec3::norm(vec3::sub(r.upper, r.lower));
    r.mean_edge = edge_sum / (3. * s.triangles.size());
    for (const auto &t : s.triangles)
      {
        if (vec3::norm(vec3::area_normal(s.points[t[0]], s.points[t[1]], s.points[t[2]])) < 1e-12 * diag * diag)
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
