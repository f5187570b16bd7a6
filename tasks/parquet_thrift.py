"""Parquet footers read and written at the Thrift level (compact protocol), so a file can be assembled
from column chunks that are already encoded: export's column splice (tasks.export) and repair's row-group
splice (tasks.repair) copy unchanged chunks' bytes and rewrite only the footer.

A Parquet file is "PAR1", each row group's column chunks back to back in schema order, the footer (a
Thrift compact-protocol FileMetaData) and its length, "PAR1". A column chunk's bytes and metadata depend
only on that column's values and the writer options, not on its neighbours. A struct is held as
[field id, type, value] lists in wire order, which re-encode to the same bytes.
"""

from __future__ import annotations

from typing import Any

_BOOL_TRUE, _BOOL_FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _STRUCT = (
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    12,
)


class _Unsupported(Exception):
    """The file is not laid out as _splice_columns assumes: write it whole instead."""


def _read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def _read_struct(buf: bytes, pos: int) -> tuple[list[list[Any]], int]:
    """A Thrift compact struct as [field id, type, value] in wire order (re-encodes to the same bytes)."""
    fields: list[list[Any]] = []
    last = 0
    while True:
        byte = buf[pos]
        pos += 1
        if byte == 0:
            return fields, pos
        kind, delta = byte & 0x0F, byte >> 4
        if delta:
            fid = last + delta
        else:
            n, pos = _read_varint(buf, pos)
            fid = (n >> 1) ^ -(n & 1)
        value = None
        if kind not in (_BOOL_TRUE, _BOOL_FALSE):
            value, pos = _read_value(buf, pos, kind)
        fields.append([fid, kind, value])
        last = fid


def _read_value(buf: bytes, pos: int, kind: int) -> tuple[Any, int]:
    if kind == _BYTE:
        return buf[pos], pos + 1
    if kind in (_I16, _I32, _I64):
        n, pos = _read_varint(buf, pos)
        return (n >> 1) ^ -(n & 1), pos
    if kind == _DOUBLE:
        return bytes(buf[pos : pos + 8]), pos + 8
    if kind == _BINARY:
        n, pos = _read_varint(buf, pos)
        return bytes(buf[pos : pos + n]), pos + n
    if kind in (_LIST, _SET):
        head = buf[pos]
        pos += 1
        elem, size = head & 0x0F, head >> 4
        if size == 15:
            size, pos = _read_varint(buf, pos)
        items = []
        for _ in range(size):
            if elem in (_BOOL_TRUE, _BOOL_FALSE):  # one byte per element
                items.append(buf[pos])
                pos += 1
            else:
                item, pos = _read_value(buf, pos, elem)
                items.append(item)
        return (elem, items), pos
    if kind == _STRUCT:
        return _read_struct(buf, pos)
    raise _Unsupported(f"Thrift type {kind}")


def _write_varint(n: int, out: bytearray) -> None:
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _write_struct(fields: list[list[Any]], out: bytearray) -> None:
    last = 0
    for fid, kind, value in fields:
        delta = fid - last
        if 0 < delta <= 15:
            out.append(delta << 4 | kind)
        else:
            out.append(kind)
            _write_varint((fid << 1) ^ (fid >> 63), out)
        if kind not in (_BOOL_TRUE, _BOOL_FALSE):
            _write_value(kind, value, out)
        last = fid
    out.append(0)


def _write_value(kind: int, value: Any, out: bytearray) -> None:
    if kind == _BYTE:
        out.append(value)
    elif kind in (_I16, _I32, _I64):
        _write_varint((value << 1) ^ (value >> 63), out)
    elif kind == _DOUBLE:
        out += value
    elif kind == _BINARY:
        _write_varint(len(value), out)
        out += value
    elif kind in (_LIST, _SET):
        elem, items = value
        if len(items) < 15:
            out.append(len(items) << 4 | elem)
        else:
            out.append(0xF0 | elem)
            _write_varint(len(items), out)
        for item in items:
            if elem in (_BOOL_TRUE, _BOOL_FALSE):
                out.append(item)
            else:
                _write_value(elem, item, out)
    elif kind == _STRUCT:
        _write_struct(value, out)
    else:
        raise _Unsupported(f"Thrift type {kind}")


def _get(fields: list[list[Any]], fid: int) -> Any:
    for f in fields:
        if f[0] == fid:
            return f[2]
    return None


def _set(fields: list[list[Any]], fid: int, value: Any) -> None:
    for f in fields:
        if f[0] == fid:
            f[2] = value
            return
    raise _Unsupported(f"no field {fid}")


# FileMetaData 4: row_groups; RowGroup 1: columns, 2: total_byte_size, 3: num_rows, 5: file_offset,
# 6: total_compressed_size; ColumnChunk 2: file_offset, 3: meta_data, 4/6: offset/column index,
# 8/9: encryption; ColumnMetaData 3: path_in_schema, 7: total_compressed_size, 9: data_page_offset,
# 10: index_page_offset, 11: dictionary_page_offset, 14: bloom_filter_offset (parquet.thrift).
def _span(chunk: list[list[Any]]) -> tuple[int, int]:
    """Where a column chunk's pages are in the file: (first byte, length)."""
    meta = _get(chunk, 3)
    if meta is None or any(_get(chunk, f) is not None for f in (4, 6, 8, 9)) or _get(meta, 14) is not None:
        raise _Unsupported("page index, bloom filter or encryption")
    start = _get(meta, 11) if _get(meta, 11) is not None else _get(meta, 9)
    return start, _get(meta, 7)


def _moved(chunk: list[list[Any]], delta: int) -> list[list[Any]]:
    """A ColumnChunk's metadata changed in place for its pages moved by delta bytes."""
    if not delta:
        return chunk
    if _get(chunk, 2):  # deprecated; pyarrow writes 0 (no offset), older writers the chunk's end
        _set(chunk, 2, _get(chunk, 2) + delta)
    meta = _get(chunk, 3)
    for fid in (9, 10, 11):
        if _get(meta, fid) is not None:
            _set(meta, fid, _get(meta, fid) + delta)
    return chunk


def _parquet_footer(buf: Any, layout: bool = True) -> list[list[Any]]:
    """The FileMetaData of a Parquet file's bytes, checked to be laid out as the splice assumes."""
    n = len(buf)
    if n < 12 or buf[:4] != b"PAR1" or buf[n - 4 :] != b"PAR1":
        raise _Unsupported("not a Parquet file")
    size = int.from_bytes(buf[n - 8 : n - 4], "little")
    footer = bytes(buf[n - 8 - size : n - 8])
    meta, end = _read_struct(footer, 0)
    out = bytearray()
    _write_struct(meta, out)
    if end != size or bytes(out) != footer or _get(meta, 8) is not None:
        raise _Unsupported("footer does not re-encode to its own bytes")
    if not layout:
        return meta
    pos = 4
    for group in (_get(meta, 4) or (_STRUCT, []))[1]:
        chunks = _get(group, 1)[1]
        if _get(group, 6) is not None and _get(group, 6) != sum(_span(c)[1] for c in chunks):
            raise _Unsupported("row group size is not the sum of its chunks")
        for chunk in chunks:
            start, length = _span(chunk)
            if start != pos:
                raise _Unsupported("column chunks are not back to back")
            pos += length
    if pos != n - 8 - size:
        raise _Unsupported("bytes between the last chunk and the footer")
    return meta
