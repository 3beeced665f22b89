// Closed triangle surface -> checked, labelled, remeshed with Gmsh, tetrahedralised.
//
// Steps (rank 0): read (meshes/surface_reader.cc), convert units once, weld duplicate
// points, check closedness / size / memory, label triangles (file "class" array, user
// planes, feature-angle patches, named by seed points), remesh the surface at the element
// size with Gmsh (classifySurfaces + createGeometry) and fill it with tetrahedra. Boundary
// faces of the volume mesh get the label of the nearest labelled input triangle.
#include <deal.II/grid/tria.h>

#include <meshes/gmsh_bridge.h>
#include <meshes/surface_check.h>
#include <meshes/surface_reader.h>
#include <solvers/common/parameters.h>

#include <gmsh.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace organtwin::meshes
{
  using namespace dealii;

  namespace
  {
    using Vec = Vec3;
    using namespace vec3;

    std::string
    fmt(double x)
    {
      std::ostringstream o;
      o << x;
      return o.str();
    }

    /// Feature-angle patches over the triangles whose label is < 0 (unlabelled):
    /// flood fill across edges whose normals differ by less than the angle.
    void
    feature_patches(const TriangleSurface &s, std::vector<int> &label, double angle_deg, int first_label)
    {
      const std::size_t                     nt = s.triangles.size();
      std::vector<Vec>                      normal(nt);
      for (std::size_t t = 0; t < nt; ++t)
        {
          const auto &tr = s.triangles[t];
          Vec         n  = cross(sub(s.points[tr[1]], s.points[tr[0]]), sub(s.points[tr[2]], s.points[tr[0]]));
          const double l = norm(n);
          normal[t]      = l > 0 ? Vec{n[0] / l, n[1] / l, n[2] / l} : Vec{0, 0, 0};
        }
      std::map<std::pair<unsigned int, unsigned int>, std::vector<unsigned int>> edge_tris;
      for (std::size_t t = 0; t < nt; ++t)
        for (unsigned int k = 0; k < 3; ++k)
          {
            const unsigned int i = s.triangles[t][k], j = s.triangles[t][(k + 1) % 3];
            edge_tris[{std::min(i, j), std::max(i, j)}].push_back(t);
          }
      const double cos_limit = angle_deg > 0 ? std::cos(angle_deg * M_PI / 180) : -2;
      int          next      = first_label;
      for (std::size_t seed = 0; seed < nt; ++seed)
        {
          if (label[seed] != -1)
            continue;
          std::vector<std::size_t> stack{seed};
          label[seed] = next;
          while (!stack.empty())
            {
              const std::size_t t = stack.back();
              stack.pop_back();
              for (unsigned int k = 0; k < 3; ++k)
                {
                  const unsigned int i = s.triangles[t][k], j = s.triangles[t][(k + 1) % 3];
                  for (const unsigned int o : edge_tris[{std::min(i, j), std::max(i, j)}])
                    if (label[o] == -1 && dot(normal[o], normal[t]) >= cos_limit)
                      {
                        label[o] = next;
                        stack.push_back(o);
                      }
                }
            }
          ++next;
        }
    }

    /// Nearest triangle centroid lookup on a uniform grid.
    class CentroidGrid
    {
    public:
      CentroidGrid(const std::vector<Vec> &c, double cell)
        : centroids(c)
        , h(cell)
      {
        for (std::size_t i = 0; i < c.size(); ++i)
          buckets[key(c[i])].push_back(i);
      }
      std::size_t
      nearest(const Vec &x) const
      {
        const auto k = key(x);
        double     best = 1e300;
        std::size_t arg = 0;
        for (int r = 0; r < 1000; ++r)
          {
            for (long i = -r; i <= r; ++i)
              for (long j = -r; j <= r; ++j)
                for (long l = -r; l <= r; ++l)
                  {
                    if (std::max({std::labs(i), std::labs(j), std::labs(l)}) != r)
                      continue;
                    const auto it = buckets.find({k[0] + i, k[1] + j, k[2] + l});
                    if (it == buckets.end())
                      continue;
                    for (const std::size_t t : it->second)
                      {
                        const double d = norm(sub(centroids[t], x));
                        if (d < best)
                          {
                            best = d;
                            arg  = t;
                          }
                      }
                  }
            if (best < r * h) // every point closer than r*h has been seen
              break;
          }
        return arg;
      }

    private:
      std::array<long, 3>
      key(const Vec &x) const
      {
        return {std::lround(std::floor(x[0] / h)), std::lround(std::floor(x[1] / h)),
                std::lround(std::floor(x[2] / h))};
      }
      const std::vector<Vec>                                &centroids;
      double                                                 h;
      std::map<std::array<long, 3>, std::vector<std::size_t>> buckets;
    };
  } // namespace

  void
  import_surface(const MeshParameters &p, SerialMesh &out)
  {
    const std::string where = p.prm_deck + ": [Mesh/File] = \"" + p.prm_file + "\"";
    TriangleSurface   s;
    try
      {
        s = read_surface(p.prm_file);
      }
    catch (const std::exception &e)
      {
        throw InputError(where + ": cannot read the surface: " + e.what());
      }
    // units, once
    for (auto &x : s.points)
      for (auto &c : x)
        c *= p.prm_unit_to_mm;
    SurfaceTopology topo = analyse(s);
    const double    diag = norm(sub(topo.upper, topo.lower));
    input_check(diag > 1.0 && diag < 3000.0,
                p.prm_deck + ": [Mesh/File length unit] = " + p.prm_unit,
                "gives a surface of extent " + fmt(diag) + " mm (bounding-box diagonal); organs and vessels span "
                "1 mm to 3 m. Is the unit of " + p.prm_file + " really " + p.prm_unit + "?");
    std::vector<std::size_t> file_index; // welded triangle -> triangle of the file
    weld(s, 1e-7 * diag, &file_index);
    topo = analyse(s);
    if (topo.n_boundary_edges > 0 || topo.n_nonmanifold_edges > 0)
      throw InputError(where + ": the surface is not closed: " + std::to_string(topo.n_boundary_edges) +
                       " open (boundary) edges and " + std::to_string(topo.n_nonmanifold_edges) +
                       " non-manifold edges after merging coincident points (one open edge at " +
                       fmt(topo.example_open_edge[0]) + ", " + fmt(topo.example_open_edge[1]) + ", " +
                       fmt(topo.example_open_edge[2]) + " mm); a closed, watertight surface is needed to fill it "
                       "with tetrahedra");
    input_check(topo.n_degenerate == 0, where,
                std::to_string(topo.n_degenerate) + " triangles have zero area; repair the surface first");
    {
      // self-intersections: Gmsh's boundary recovery would fail on them (or, worse, fill an
      // inside-out region); find them first and say where
      const SelfIntersection x = find_self_intersection(s);
      if (x.n_pairs > 0)
        throw InputError(where + ": the surface intersects itself: triangles " + std::to_string(file_index[x.first]) +
                         " and " + std::to_string(file_index[x.second]) + " (0-based, in file order) cross near (" +
                         fmt(x.point[0]) + ", " + fmt(x.point[1]) + ", " + fmt(x.point[2]) + ") mm; " +
                         std::to_string(x.n_pairs) + " crossing triangle pair(s) in total. Expected a closed surface "
                         "that does not intersect itself; repair it first (e.g. remove the self-intersections "
                         "in MeshLab or fTetWild)");
    }
    const double volume = std::abs(topo.volume);
    const double h      = p.prm_element_size > 0 ? p.prm_element_size : topo.mean_edge;
    {
      const double n_tets = volume / (h * h * h / (6 * std::sqrt(2.))) * 1.3;
      const double gb     = n_tets * 1.5e3 / (1024. * 1024 * 1024);
      const double limit  = p.prm_max_memory_gb > 0 ? p.prm_max_memory_gb : available_memory_gb();
      input_check(gb < limit, p.prm_deck + ": [Mesh/Element size] = " + fmt(h) + " mm",
                  "would give about " + std::to_string(static_cast<long>(n_tets)) + " tetrahedra in the " +
                    fmt(volume / 1000) + " mL enclosed by the surface, needing about " + fmt(gb) +
                    " GiB, more than the " + fmt(limit) + " GiB available; use a larger element size");
    }

    // labels: file classes (>= 0) first, then planes, then feature-angle patches
    std::vector<int>                   label(s.triangles.size(), -1);
    std::map<int, std::string>         name_of;
    if (!s.labels.empty())
      for (std::size_t t = 0; t < label.size(); ++t)
        {
          label[t]           = 1000 + s.labels[t];
          name_of[label[t]]  = "class" + std::to_string(s.labels[t]);
        }
    int next_label = 1;
    for (const auto &plane : Utilities::split_string_list(p.prm_plane_tags, ';'))
      {
        if (plane.empty())
          continue;
        const auto parts = Utilities::split_string_list(plane, ':');
        const std::string pw = p.prm_deck + ": [Mesh/Plane tags] = \"" + plane + "\"";
        input_check(parts.size() == 4, pw, "expected \"name: px,py,pz: nx,ny,nz: tolerance\" (mm)");
        const auto   po  = parse_triple(parts[1], pw);
        auto         n   = parse_triple(parts[2], pw);
        const double tol = std::stod(parts[3]);
        const double ln  = norm(n);
        input_check(ln > 0 && tol > 0, pw, "the normal must be non-zero and the tolerance > 0");
        for (auto &c : n)
          c /= ln;
        unsigned long count = 0;
        for (std::size_t t = 0; t < label.size(); ++t)
          {
            const auto &tr = s.triangles[t];
            Vec          tn = cross(sub(s.points[tr[1]], s.points[tr[0]]), sub(s.points[tr[2]], s.points[tr[0]]));
            const double l  = norm(tn);
            bool         in = l > 0 && std::abs(dot(tn, n)) / l > 0.9;
            for (unsigned int k = 0; k < 3 && in; ++k)
              in = std::abs(dot(sub(s.points[tr[k]], Vec{po[0], po[1], po[2]}), n)) <= tol;
            if (in)
              {
                label[t] = next_label;
                ++count;
              }
          }
        input_check(count > 0, pw, "no surface triangle lies in this plane (within the tolerance and parallel to it)");
        name_of[next_label++] = parts[0];
      }
    if (s.labels.empty())
      {
        const int first = next_label;
        feature_patches(s, label, p.prm_feature_angle, first);
        for (std::size_t t = 0; t < label.size(); ++t)
          if (!name_of.count(label[t]))
            name_of[label[t]] = "patch" + std::to_string(label[t] - first);
      }
    // user names by seed point: the label of the nearest triangle
    std::vector<Vec> centroid(s.triangles.size());
    for (std::size_t t = 0; t < centroid.size(); ++t)
      for (unsigned int d = 0; d < 3; ++d)
        centroid[t][d] = (s.points[s.triangles[t][0]][d] + s.points[s.triangles[t][1]][d] +
                          s.points[s.triangles[t][2]][d]) / 3;
    CentroidGrid grid(centroid, 2 * topo.mean_edge);
    for (const auto &item : Utilities::split_string_list(p.prm_patch_names, ';'))
      {
        if (item.empty())
          continue;
        const auto at = item.find('@');
        const std::string pw = p.prm_deck + ": [Mesh/Patch names] = \"" + item + "\"";
        input_check(at != std::string::npos, pw, "expected \"name@x,y,z\" (mm), or \"name@class<k>\"");
        const std::string name = Utilities::trim(item.substr(0, at)), target = Utilities::trim(item.substr(at + 1));
        int l = -1;
        if (target.rfind("class", 0) == 0)
          {
            for (const auto &[lab, n] : name_of)
              if (n == target)
                l = lab;
            input_check(l >= 0, pw, "the surface has no " + target + " (its file has no such label)");
          }
        else
          {
            const auto x = parse_triple(target, pw);
            l            = label[grid.nearest({x[0], x[1], x[2]})];
          }
        name_of[l] = name;
      }

    // Gmsh: the welded surface as one discrete entity, reparametrised and remeshed at h.
    // If Gmsh cannot parametrise it, the input triangles are kept as the boundary mesh.
    GmshSession session("surface");
    auto        add_discrete_surface = [&]() {
      gmsh::model::addDiscreteEntity(2, 1);
      std::vector<std::size_t> node_tags(s.points.size());
      std::vector<double>      coords;
      for (std::size_t i = 0; i < s.points.size(); ++i)
        {
          node_tags[i] = i + 1;
          coords.insert(coords.end(), s.points[i].begin(), s.points[i].end());
        }
      gmsh::model::mesh::addNodes(2, 1, node_tags, coords);
      std::vector<std::size_t> tri_nodes;
      for (const auto &t : s.triangles)
        for (const unsigned int v : t)
          tri_nodes.push_back(v + 1);
      gmsh::model::mesh::addElementsByType(1, 2, {}, tri_nodes);
    };
    MeshParameters q = p;
    q.prm_size_near.clear(); // tags do not exist as Gmsh groups here
    out.h = h;
    std::string remesh_error;
    try
      {
        add_discrete_surface();
        gmsh::model::mesh::classifySurfaces(40 * M_PI / 180, true, true, M_PI);
        gmsh::model::mesh::createGeometry();
        gmsh::vectorpair surfaces;
        gmsh::model::getEntities(surfaces, 2);
        std::vector<int> stags;
        for (const auto &dt : surfaces)
          stags.push_back(dt.second);
        const int loop = gmsh::model::geo::addSurfaceLoop(stags);
        gmsh::model::geo::addVolume({loop});
        gmsh::model::geo::synchronize();
        mesh_and_convert(q, h, out);
      }
    catch (const std::string &e)
      {
        remesh_error = e;
      }
    if (!remesh_error.empty())
      try
        {
          gmsh::model::remove();
          gmsh::model::add("surface_as_is");
          add_discrete_surface();
          const int loop = gmsh::model::geo::addSurfaceLoop({1});
          gmsh::model::geo::addVolume({loop});
          gmsh::model::geo::synchronize();
          q.prm_order = 1; // no CAD surface to place P2 nodes on
          mesh_and_convert(q, h, out);
          out.note = "the surface could not be reparametrised by Gmsh (" + remesh_error +
                     "); its triangles were kept as the boundary mesh, order 1";
        }
      catch (const std::string &e)
        {
          throw InputError(where + ": Gmsh could not fill the surface with tetrahedra (" + remesh_error + "; then " + e +
                           "); the surface may intersect itself");
        }

    // boundary ids from the nearest labelled input triangle
    out.boundary_names.clear();
    std::map<int, unsigned int> id_of;
    {
      std::map<std::string, int> by_name;
      for (const auto &[l, n] : name_of)
        by_name[n] = l;
      unsigned int id = 1;
      for (const auto &[n, l] : by_name)
        {
          out.boundary_names[n] = id;
          id_of[l]              = id++;
        }
    }
    for (const auto &cell : out.tria.active_cell_iterators())
      for (const unsigned int f : cell->face_indices())
        if (cell->face(f)->at_boundary())
          {
            const Point<3> c = cell->face(f)->center();
            cell->face(f)->set_boundary_id(id_of.at(label[grid.nearest({c[0], c[1], c[2]})]));
          }
    out.material_names = {{"tissue", 0}};
  }
} // namespace organtwin::meshes
