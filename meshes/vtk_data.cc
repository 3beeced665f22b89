// VTK XML data arrays (see vtk_data.h): base64, zlib blocks, typed arrays, the file scan.
#include <meshes/vtk_data.h>

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace organtwin::meshes::vtk
{
  namespace
  {
    template <typename T>
    T
    read_le(const char *p)
    {
      T v;
      std::memcpy(&v, p, sizeof(T));
      return v;
    }

    const int *
    base64_table()
    {
      static int  table[256];
      static bool init = false;
      if (!init)
        {
          std::fill(table, table + 256, -1);
          const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
          for (int i = 0; i < 64; ++i)
            table[static_cast<unsigned char>(a[i])] = i;
          init = true;
        }
      return table;
    }

    /// Bytes of one array, taken in order: raw bytes, or base64 decoded group by group.
    /// Padding ('=') ends a group early, so a header and data encoded separately (VTK) or
    /// together decode to the same byte sequence.
    class ByteSource
    {
    public:
      ByteSource(const std::string &text, std::size_t pos, bool base64)
        : text(text)
        , pos(pos)
        , base64(base64)
      {}

      std::string
      take(std::size_t n)
      {
        if (!base64)
          {
            if (pos + n > text.size())
              throw std::runtime_error("truncated appended data");
            std::string s = text.substr(pos, n);
            pos += n;
            return s;
          }
        const int *table = base64_table();
        while (buffer.size() - used < n)
          {
            int          vals[4] = {0, 0, 0, 0};
            unsigned int k = 0, pad = 0;
            while (k < 4)
              {
                if (pos >= text.size() || text[pos] == '<')
                  throw std::runtime_error("truncated base64 data");
                const unsigned char c = text[pos++];
                if (c == '=')
                  {
                    ++pad;
                    vals[k++] = 0;
                  }
                else if (table[c] >= 0)
                  vals[k++] = table[c];
              }
            const char b[3] = {static_cast<char>((vals[0] << 2) | (vals[1] >> 4)),
                               static_cast<char>(((vals[1] & 15) << 4) | (vals[2] >> 2)),
                               static_cast<char>(((vals[2] & 3) << 6) | vals[3])};
            buffer.append(b, 3 - std::min(pad, 2u));
          }
        std::string s = buffer.substr(used, n);
        used += n;
        if (used > (1u << 20))
          {
            buffer.erase(0, used);
            used = 0;
          }
        return s;
      }

    private:
      const std::string &text;
      std::size_t        pos;
      bool               base64;
      std::string        buffer;
      std::size_t        used = 0;
    };

    /// One array's bytes (header handled), uncompressed.
    std::string
    array_bytes(ByteSource src, bool compressed, bool header64)
    {
      const std::size_t hs   = header64 ? 8 : 4;
      auto              word = [&](const std::string &s, std::size_t i) -> std::uint64_t {
        return header64 ? read_le<std::uint64_t>(s.data() + 8 * i) : read_le<std::uint32_t>(s.data() + 4 * i);
      };
      if (!compressed)
        return src.take(word(src.take(hs), 0));
      // compressed: [nblocks, blocksize, lastblocksize, csize_1..n], then the blocks
      const std::string h0 = src.take(hs);
      const auto        nb = word(h0, 0);
      if (nb > (1u << 24))
        throw std::runtime_error("corrupt compressed-data header");
      const std::string h = h0 + src.take(hs * (2 + nb));
      const auto        bs = word(h, 1), last = word(h, 2);
      std::string       out;
      for (std::uint64_t b = 0; b < nb; ++b)
        {
          const std::uint64_t csz  = word(h, 3 + b);
          const std::string   comp = src.take(csz);
          uLongf              usz  = (b + 1 == nb && last != 0) ? last : bs;
          std::string         buf(usz, '\0');
          if (uncompress(reinterpret_cast<Bytef *>(&buf[0]), &usz, reinterpret_cast<const Bytef *>(comp.data()), csz) !=
              Z_OK)
            throw std::runtime_error("zlib could not inflate a data block");
          buf.resize(usz);
          out += buf;
        }
      return out;
    }

    /// ascii numbers between pos and the next '<'
    std::vector<double>
    ascii_values(const std::string &file, std::size_t pos)
    {
      const std::size_t end = file.find('<', pos);
      if (end == std::string::npos)
        throw std::runtime_error("an ascii data array is not closed");
      std::vector<double> v;
      const char         *p = file.c_str() + pos, *e = file.c_str() + end;
      while (p < e)
        {
          while (p < e && std::isspace(static_cast<unsigned char>(*p)))
            ++p;
          if (p >= e)
            break;
          char        *q = nullptr;
          const double x = std::strtod(p, &q);
          if (q == p)
            throw std::runtime_error("an ascii data array holds a non-number \"" +
                                     std::string(p, std::min<std::size_t>(20, e - p)) + "\"");
          v.push_back(x);
          p = q;
        }
      return v;
    }
  } // namespace

  std::string
  lower_extension(const std::string &f)
  {
    const auto  d = f.find_last_of('.');
    std::string e = d == std::string::npos ? "" : f.substr(d + 1);
    std::transform(e.begin(), e.end(), e.begin(), ::tolower);
    return e;
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
      using T             = decltype(dummy);
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

  Sections
  read_xml(const std::string &filename, const std::string &type)
  {
    std::ifstream in(filename, std::ios::binary);
    if (!in)
      throw std::runtime_error("cannot open the file");
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (file.find("type=\"" + type + "\"") == std::string::npos)
      throw std::runtime_error("not a VTK XML " + type + " file");
    const bool compressed = file.find("compressor=\"vtkZLibDataCompressor\"") != std::string::npos;
    if (!compressed && file.find("compressor=\"") != std::string::npos)
      throw std::runtime_error("unsupported compressor (only vtkZLibDataCompressor is read)");
    const bool header64 = file.find("header_type=\"UInt64\"") != std::string::npos;
    if (file.find("byte_order=\"BigEndian\"") != std::string::npos)
      throw std::runtime_error("big-endian VTK XML files are not supported");
    // appended block: offsets count from the character after '_'
    std::size_t app_start = std::string::npos;
    bool        app_raw   = false;
    const auto  ap        = file.find("<AppendedData");
    if (ap != std::string::npos)
      {
        const auto close = file.find('>', ap);
        app_raw          = attribute(file.substr(ap, close - ap), "encoding") == "raw";
        app_start        = file.find('_', close) + 1;
      }
    Sections          arrays;
    std::size_t       pos = 0;
    std::string       section;
    unsigned int      n_pieces = 0;
    const std::size_t limit    = ap == std::string::npos ? file.size() : ap;
    while (true)
      {
        const auto t = file.find('<', pos);
        if (t == std::string::npos || t >= limit)
          break;
        const auto e = file.find('>', t);
        if (e == std::string::npos)
          throw std::runtime_error("an XML tag is not closed");
        const auto tag = file.substr(t, e - t + 1);
        pos            = e + 1;
        for (const char *s : {"PointData", "CellData", "Points", "Cells", "Polys", "Verts", "Lines", "Strips", "FieldData"})
          if (tag.rfind(std::string("<") + s, 0) == 0 &&
              (tag[std::strlen(s) + 1] == ' ' || tag[std::strlen(s) + 1] == '>' || tag[std::strlen(s) + 1] == '/'))
            section = s;
        if (tag.rfind("<Piece", 0) == 0 && ++n_pieces > 1)
          throw std::runtime_error("more than one Piece (a .pvtu's pieces must be merged first)");
        if (tag.rfind("<DataArray", 0) != 0)
          continue;
        const std::string format = attribute(tag, "format"), dtype = attribute(tag, "type"),
                          name = attribute(tag, "Name"), nc = attribute(tag, "NumberOfComponents");
        Array a;
        a.n_components = nc.empty() ? 1 : std::max(1, std::atoi(nc.c_str()));
        if (format == "ascii")
          a.values = ascii_values(file, pos);
        else if (format == "binary")
          a.values = to_doubles(array_bytes(ByteSource(file, pos, true), compressed, header64), dtype);
        else if (format == "appended")
          {
            if (app_start == std::string::npos)
              throw std::runtime_error("array \"" + name + "\" refers to appended data but there is none");
            const std::size_t off = std::stoull(attribute(tag, "offset"));
            a.values = to_doubles(array_bytes(ByteSource(file, app_start + off, !app_raw), compressed, header64), dtype);
          }
        else
          throw std::runtime_error("array \"" + name + "\": unknown format \"" + format + "\"");
        arrays[section][name] = std::move(a);
      }
    return arrays;
  }

  std::string
  base64_encode(const std::string &bytes)
  {
    const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3)
      {
        const unsigned int b0 = static_cast<unsigned char>(bytes[i]);
        const unsigned int b1 = i + 1 < bytes.size() ? static_cast<unsigned char>(bytes[i + 1]) : 0;
        const unsigned int b2 = i + 2 < bytes.size() ? static_cast<unsigned char>(bytes[i + 2]) : 0;
        out.push_back(a[b0 >> 2]);
        out.push_back(a[((b0 & 3) << 4) | (b1 >> 4)]);
        out.push_back(i + 1 < bytes.size() ? a[((b1 & 15) << 2) | (b2 >> 6)] : '=');
        out.push_back(i + 2 < bytes.size() ? a[b2 & 63] : '=');
      }
    return out;
  }

  std::string
  zlib_compress(const std::string &bytes)
  {
    uLongf      n = compressBound(bytes.size());
    std::string out(n, '\0');
    if (compress2(reinterpret_cast<Bytef *>(&out[0]), &n, reinterpret_cast<const Bytef *>(bytes.data()), bytes.size(),
                  Z_BEST_SPEED) != Z_OK)
      throw std::runtime_error("zlib compression failed");
    out.resize(n);
    return out;
  }
} // namespace organtwin::meshes::vtk
