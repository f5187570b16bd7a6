"""Administrative-division gazetteer and region resolution for extraction.

The table is jionlp's `china_location` dictionary (GB/T 2260 codes, province → county, plus township
names) and its `china_location_change` list of renamed divisions, read straight from the installed
package's data files (importing jionlp itself costs seconds). Places that never had a code (嘉峪关's
长城区) come from `tasks/data/extract/places_extra.tsv`, earlier renames the list lacks (户县) and leagues' short
forms (锡盟) from `places_renamed.tsv`.

Matching is a leftmost-longest scan keyed by each name's first two characters, tried only where a text's
two characters are some name's first two (a NumPy lookup), no per-sentence parser.
"""

from __future__ import annotations

import importlib.util
import operator
import re
import zipfile
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from pathlib import Path
from typing import Any, NamedTuple

from tasks.extract_text import _HALF_OF, surnames, to_half

DATA_DIR = Path(__file__).parent / "data" / "extract"

PROVINCE, PREFECTURE, COUNTY, TOWNSHIP, NATIONAL = "province", "prefecture", "county", "township", "national"
# The whole country (State Council, CPC Central Committee, NPC/CPPCC national documents). 100000 is the code the
# national level takes in GB/T 2260-style division tables (province codes run 11-82, so it never collides);
# see docs/doc_types.md.
NATIONAL_REGION, NATIONAL_CODE = "全国", "100000"
# Taiwan, Hong Kong and Macau are named in every national report (`香港、澳门长期繁荣稳定`, `解决台湾问题`):
# they are a document's jurisdiction only when its title, meeting or byline names them.
OWN_DOCUMENT_ONLY = ("台湾省", "香港特别行政区", "澳门特别行政区")

# Codes of non-administrative zones jionlp lists among counties (开发区, 高新区 …): never a jurisdiction name.
_ZONE_WORDS = ("开发区", "高新", "经济", "管理区", "示范区", "市直辖", "省直辖", "园区", "新城")
# What every city calls its own zones (`高新区党工委`, `示范区(高新区)`, `新区建设`, `开发区管委会`): no place's name. The
# table gives 镇江新区 and 兰州新区 the alias 新区 and lists 开发区 (18 counties), 经济开发区 (14), 工业园区 (10), 高新区 (3)
# … as townships: 三门峡's and 盐城's zone pages went to 镇江新区, a zone's 党工委 meeting was read as a township's own
# congress (this round's fresh pages). A township name made of these words only (optionally after 县/市/区 and before
# 街道/管委会) is dropped; so is such an alias.
GENERIC_AREA_WORDS = (
    "经济技术开发区",
    "高新技术产业开发区",
    "高新技术开发区",
    "高新技术产业园区",
    "经济开发区",
    "工业开发区",
    "工业园区",
    "产业园区",
    "开发区",
    "高新区",
    "保税区",
    "示范区",
    "试验区",
    "工业区",
    "管理区",
    "园区",
    "新区",
    "新城",
)
_GENERIC_AREA_RE = re.compile(
    rf"(?:县|市|区)?(?:{'|'.join(GENERIC_AREA_WORDS)})(?:街道|管委会|管理委员会|直属乡镇|类似乡级单位|办事处)?"
)


def _generic_area(name: str) -> bool:
    """Whether `name` is only a generic zone word (开发区, 经济开发区管委会, 县经济开发区), no place's own name."""
    return _GENERIC_AREA_RE.fullmatch(name) is not None


# Aliases that are everyday words in speeches (jionlp's alias of 和平区 is 和平 …): evidence only with suffix.
_COMMON_POS = {"n", "v", "a", "d", "vn", "an", "ad", "m", "q", "r", "t", "f", "s", "nz", "l", "i", "j", "c", "p", "u"}
_NAME_POS = {"ns", "nr", "nrt", "nt", "nrfg"}
# Prefecture aliases jieba tags as ordinary words (合肥/n, 恩施/n, 银川/n …) are still city names, except these,
# which are everyday words or sit inside them (大理石, 日照时数, 各位来宾, 长治久安, 文山会海, 出海口, 舞台中 …).
_PREFECTURE_ALIAS_WORDS = {
    "大理",
    "日照",
    "大同",
    "来宾",
    "长治",
    "文山",
    "台中",
    "包头",
    "开封",
    "和田",
    "清远",
    "保定",
    "平凉",
    "海口",
    "海北",
    "通化",
}
# County aliases jieba tags as names that are everyday words: 同仁 (青海's 同仁市) is `colleagues` in every Taiwanese and
# Hong Kong page (`發放給公所同仁`, `各位同仁`: a 西嶼鄉 page went to 青海, session 57's fresh pages). Only the full name counts.
_COUNTY_ALIAS_WORDS = frozenset({"同仁"})
# A place alias right after a number or a money unit is a word (突破千亿元大关), not a place.
_NUMERIC_BEFORE = set("0123456789０１２３４５６７８９〇零一二两三四五六七八九十百千万亿元%")
# Full names too generic to read without their city in front (城区 of 大同/阳泉/晋城 …).
_GENERIC_FULL = {"城区", "郊区", "矿区", "市中区", "市辖区", "新区", "东区", "西区", "南区", "北区", "中区"}


@dataclass(frozen=True)
class Division:
    """One administrative division (or a no-code/renamed place) with its parents."""

    name: str  # as written in the table (桥东区)
    code: str | None  # 6-digit code (successor's code for renamed divisions)
    level: str  # province / prefecture / county / township
    province: str | None
    city: str | None
    county: str | None
    status: str = "current"  # current, renamed, nocode
    successor: str | None = None
    town: str | None = None

    @property
    def full_name(self) -> str:
        parts = [self.province or ""]
        if self.city and self.city != self.province and not (self.province or "").startswith(self.city):
            parts.append(self.city)  # a Hong Kong district's city is `香港`: 香港特别行政区湾仔区, never …香港湾仔区
        if self.county:
            parts.append(self.county)
        if self.town:
            parts.append(self.town)
        return "".join(parts)

    @property
    def suffix_kind(self) -> str:
        """Kind of jurisdiction the name's suffix says (区, 县, 市, 省 …) — matched against 全区/区长."""
        n = self.name
        if self.level == PROVINCE:
            return "省"
        if n.endswith(("区",)):
            return "区"
        if n.endswith(("县", "旗")):
            return "县"
        if n.endswith(("镇", "乡", "街道", "苏木")):
            return "镇"
        if n.endswith(("州", "盟")):
            return "州"
        return "市"


@dataclass
class Gazetteer:
    by_name: dict[str, list[Division]] = field(default_factory=dict)  # full names and safe aliases
    alias_of: dict[str, str] = field(default_factory=dict)  # alias -> its full name (for reporting)
    prefix2: dict[str, list[str]] = field(default_factory=dict)  # first two chars -> names, longest first
    by_code: dict[str, Division] = field(default_factory=dict)
    towns: dict[str, list[str]] = field(default_factory=dict)  # town name -> county codes
    town_prefix2: dict[str, list[str]] = field(default_factory=dict)
    town_parent: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def _jionlp_dir() -> Path | None:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "dictionary"


def _common_words() -> dict[str, str]:
    """jieba's POS tag table: tells an alias that is an ordinary word (和平/nz) from a place (邢台/ns)."""
    from tasks.extract_text import word_tags

    return word_tags()  # jieba.posseg's table read from the file: one copy shared with the name rules


def _add(gz: Gazetteer, key: str, div: Division) -> None:
    lst = gz.by_name.setdefault(key, [])
    if all(d.code != div.code or d.name != div.name or d.status != div.status for d in lst):
        lst.append(div)


# Bump when the cached JSON changes meaning: older cached gazetteers are then never read. The cache's name also
# hashes this module's and extract_text's source (the build rules, the POS table's parse) and every data file read.
GAZETTEER_CACHE_FORMAT = 1


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, once per process: from the table cache (tasks.common.load_arrays) when an earlier process
    built it from the same files and code, else built (~0.28 s, plus ~0.2 s for the POS table it reads) and kept
    there. A fresh extract or annotate worker's first call waited for the build: a +1 % run spawns 3-5 of them."""
    import hashlib

    from tasks import extract_text
    from tasks.common import save_arrays

    d = _jionlp_dir()
    if d is None or not (d / "china_location.zip").exists():
        raise RuntimeError("jionlp's china_location dictionary is missing: pip install jionlp==1.5.31")
    digest = hashlib.sha256(str(GAZETTEER_CACHE_FORMAT).encode())
    for f in (
        Path(__file__),
        Path(extract_text.__file__),
        d / "china_location.zip",
        d / "china_location_change.txt",
        DATA_DIR / "places_extra.tsv",
        DATA_DIR / "places_renamed.tsv",
    ):
        digest.update(f.name.encode() + b"\0" + (f.read_bytes() if f.exists() else b"-") + b"\0")
    digest.update(extract_text.jieba_dict_digest().encode())  # the POS tags the aliases are judged by
    name = f"gazetteer-{GAZETTEER_CACHE_FORMAT}-{digest.hexdigest()[:24]}"
    cached = extract_text.load_cached(name)  # a damaged file (a bad CRC too) is built again
    if cached is not None:
        try:
            return _gazetteer_from_json(cached["json"].tobytes())
        except (KeyError, ValueError, TypeError, IndexError):  # a damaged table: build it again
            pass
    gz = _build_gazetteer(d)
    import numpy as np

    save_arrays(name, {"json": np.frombuffer(_gazetteer_json(gz), dtype=np.uint8)})
    return gz


def _gazetteer_json(gz: Gazetteer) -> bytes:
    """The gazetteer as JSON (no pickle: the cache folder is only data): each Division once, referred to by its
    index, so the loaded tables share their objects as the built ones do; dicts keep their order."""
    import dataclasses
    import json

    divisions: list[Division] = []
    at: dict[int, int] = {}

    def ref(div: Division) -> int:
        if id(div) not in at:
            at[id(div)] = len(divisions)
            divisions.append(div)
        return at[id(div)]

    names = [f.name for f in dataclasses.fields(Division)]
    doc = {
        "by_name": {k: [ref(x) for x in v] for k, v in gz.by_name.items()},
        "by_code": {k: ref(v) for k, v in gz.by_code.items()},
        "alias_of": gz.alias_of,
        "prefix2": gz.prefix2,
        "towns": gz.towns,
        "town_prefix2": gz.town_prefix2,
        "town_parent": gz.town_parent,
    }
    doc["divisions"] = [[getattr(x, n) for n in names] for x in divisions]
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _gazetteer_from_json(data: bytes) -> Gazetteer:
    import json

    doc = json.loads(data)
    divisions = [Division(*row) for row in doc["divisions"]]
    return Gazetteer(
        by_name={k: [divisions[i] for i in v] for k, v in doc["by_name"].items()},
        alias_of=doc["alias_of"],
        prefix2=doc["prefix2"],
        by_code={k: divisions[i] for k, i in doc["by_code"].items()},
        towns=doc["towns"],
        town_prefix2=doc["town_prefix2"],
        town_parent={k: tuple(v) for k, v in doc["town_parent"].items()},
    )


# Real districts whose names hold a zone word by chance (绿园区, 梁园区, 下花园区 hold 园区; 新城区 of 西安 and 呼和浩特
# holds 新城): they were kept as zones, so never found (长春市绿园区's congress news was 长春市: session 47's fresh
# pages). A zone's name is long (`苏州工业园区`, `成都高新技术产业开发区`) and its code's last two digits are 70 or more
# (GB/T 2260 leaves 01-69 and 81-99 to districts, counties and cities; the table numbers zones 71-79, 90+).
DISTRICT_NAME_CHARS = 4


def _district_named_like_a_zone(name: str, code: str) -> bool:
    return len(name) <= DISTRICT_NAME_CHARS and name.endswith("区") and code[4:6] < "70"


# Misspelt names in jionlp's table, spelt as the place spells itself: 苗栗縣 (710705) is listed as 苗粟县, so no
# 苗栗 page had a place (session 53's fresh Taiwanese pages).
NAME_FIXES = {"苗粟县": "苗栗县", "苗粟": "苗栗"}


def _build_gazetteer(d: Path) -> Gazetteer:
    gz = Gazetteer()
    with zipfile.ZipFile(d / "china_location.zip") as z:
        data = z.read(z.namelist()[0]).decode("utf-8")
    tags = _common_words()
    aliases: list[tuple[str, Division]] = []
    prov = city = None
    prov_div = city_div = county_div = None
    for line in data.split("\n"):
        if line.startswith("\t\t\t\t") or not line.strip():
            continue
        if line.startswith("\t\t\t"):  # township: name only
            town = line.strip()
            if county_div is not None and len(town) >= 3 and not _generic_area(town):
                gz.towns.setdefault(town, []).append(county_div.code or "")
            continue
        parts = line.strip().split("\t")
        if len(parts) != 3:
            continue
        name, code, alias = parts
        name, alias = NAME_FIXES.get(name, name), NAME_FIXES.get(alias, alias)
        if line.startswith("\t\t"):
            county_div = Division(name, code, COUNTY, prov, city, name)
            if any(w in name for w in _ZONE_WORDS) and not _district_named_like_a_zone(name, code):
                county_div = Division(name, code, COUNTY, prov, city, name, status="zone")
                gz.by_code.setdefault(code, county_div)
                continue
            gz.by_code[code] = county_div
            if name not in _GENERIC_FULL:
                _add(gz, name, county_div)
            for a in alias.split("/"):
                # County aliases are short and collide with prose (大关, 新和, 市中): keep those jieba knows as names.
                if (
                    len(a) >= 2
                    and a != name
                    and tags.get(a) in _NAME_POS
                    and name not in _GENERIC_FULL
                    and a not in _ZONE_WORDS  # 新城 (新城区's): `产业新城` is a common word
                    and not _generic_area(a)  # 新区 (镇江新区's, 兰州新区's)
                    and a not in _COUNTY_ALIAS_WORDS
                ):
                    aliases.append((a, county_div))
        elif line.startswith("\t"):
            city = name
            if "直辖" in name:
                # `省直辖行政区划` is the table's holder for county-level cities a province runs itself (海南省琼海市,
                # 河南省济源市): no prefecture, and never part of their names (it gave 海南省省直辖行政区划琼海市)
                city = city_div = None
                continue
            city_div = Division(name, code, PREFECTURE, prov, name, None)
            if code in gz.by_code and gz.by_code[code].level == PROVINCE:
                continue  # 上海市 under 上海市: the province-level entry stands for both
            gz.by_code[code] = city_div
            _add(gz, name, city_div)
            for a in alias.split("/"):
                if len(a) >= 2 and a != name and (tags.get(a) not in _COMMON_POS or a not in _PREFECTURE_ALIAS_WORDS):
                    aliases.append((a, city_div))
        else:
            prov, city = name, None
            prov_div = Division(name, code, PROVINCE, name, None, None)
            gz.by_code[code] = prov_div
            _add(gz, name, prov_div)
            for a in alias.split("/"):
                if len(a) >= 2 and a != name:
                    aliases.append((a, prov_div))
    # Renamed divisions keep their old name, pointing at the successor's code (邢台桥东区 -> 襄都区 130502).
    chg = d / "china_location_change.txt"
    if chg.exists():
        for line in chg.read_text("utf-8").splitlines():
            if "=>" not in line:
                continue
            old, new = line.split("=>", 1)
            o, n = old.split("\t"), new.split("\t")
            if len(o) == 8 and len(n) == 3:
                succ = next((x for x in gz.by_name.get(n[2], []) if x.city == n[1]), None)
                div = Division(o[6], succ.code if succ else None, COUNTY, o[2], o[4], o[6], "renamed", n[2])
                if o[6] not in _GENERIC_FULL:
                    _add(gz, o[6], div)
                if len(o[7]) >= 2 and o[7] != o[6] and tags.get(o[7]) in _NAME_POS and o[7] not in _COUNTY_ALIAS_WORDS:
                    aliases.append((o[7], div))
            elif len(o) == 6 and len(n) == 2:
                succ = next((x for x in gz.by_name.get(n[1], []) if x.level == PREFECTURE), None)
                _add(
                    gz, o[4], Division(o[4], succ.code if succ else None, PREFECTURE, o[2], o[4], None, "renamed", n[1])
                )
    _add_renamed(gz, aliases)
    extra = DATA_DIR / "places_extra.tsv"
    if extra.exists():
        for line in extra.read_text("utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            p, c, name, level = ([*line.split("\t"), "", "", "", ""])[:4]
            div = Division(name, None, level or COUNTY, p, c, name if (level or COUNTY) == COUNTY else None, "nocode")
            _add(gz, name, div)
    for a, div in aliases:
        if a in gz.by_name:
            continue  # a full name wins over someone's alias
        lst = gz.by_name.setdefault("~" + a, [])
        if div not in lst:
            lst.append(div)
        gz.alias_of[a] = div.name
    # Aliases are stored under "~alias" so a hit can be told from a full-name hit.
    for key in gz.by_name:
        surface = key[1:] if key.startswith("~") else key
        gz.prefix2.setdefault(surface[:2], []).append(key)
    for k in gz.prefix2:
        gz.prefix2[k].sort(key=lambda s: (-len(s.lstrip("~")), s))
    for t in gz.towns:
        gz.town_prefix2.setdefault(t[:2], []).append(t)
    for k in gz.town_prefix2:
        gz.town_prefix2[k].sort(key=lambda s: (-len(s), s))
    return gz


def _add_renamed(gz: Gazetteer, aliases: list[tuple[str, Division]]) -> None:
    """The renamed divisions and league short forms of places_renamed.tsv (户县 -> 鄠邑区, 锡盟): a page naming only
    them had no region (`审定户县…方案`, `锡盟安监局`: session 48's fresh pages)."""
    path = DATA_DIR / "places_renamed.tsv"
    for line in path.read_text("utf-8").splitlines() if path.exists() else ():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, prov, old_city, old, new_city, new = line.split("\t")
        level = COUNTY if new_city else PREFECTURE
        succ = next(
            (
                d
                for d in gz.by_name.get(new, [])
                if d.level == level and d.province == prov and (d.city == new_city or not new_city)
            ),
            None,
        )
        if succ is None:
            continue
        if kind == "short":
            aliases.append((old, succ))
        elif level == COUNTY:
            _add(gz, old, Division(old, succ.code, COUNTY, prov, old_city, old, "renamed", new))
        else:
            _add(gz, old, Division(old, succ.code, PREFECTURE, prov, old, None, "renamed", new))


class PlaceHit(NamedTuple):
    """A place name found in a text. A named tuple, not a frozen dataclass: a document's scans make ~75 of them
    (extract) and as many again (annotate's mentions), and a frozen dataclass took ~1.2 us each to build, a tuple
    ~0.4 us."""

    start: int
    end: int
    surface: str
    key: str  # by_name key ("~邢台" for an alias)
    is_alias: bool


@lru_cache(maxsize=1)
def _leader_name_tails() -> dict[str, tuple[tuple[int, str], ...]]:
    """The national leaders' names (data/extract/leaders.txt) by the first two characters of each tail they have
    after their first character: {"岐山": ((1, "王岐山"),), "德江": ((1, "张德江"),), "中山": ((1, "孙中山"),) …}.
    A national news page lists the leaders who attended (`李克强、张德江、俞正声、刘云山、王岐山、张高丽出席`): their
    names gave 贵州省铜仁市德江县 and 陕西省宝鸡市岐山县 as region mentions, 孙中山 广东省中山市 (k3's held-out pages)."""
    out: dict[str, list[tuple[int, str]]] = {}
    for line in (DATA_DIR / "leaders.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            name = line.split("\t")[0]
            for k in range(1, len(name) - 1):
                out.setdefault(name[k : k + 2], []).append((k, name))
    return {key: tuple(v) for key, v in out.items()}


# Words that make the place before them part of an organisation's or a treaty's name (上海合作组织, 北京大学, 深圳证券交易所,
# 香港交易所, 北京宣言, 京都议定书): a 邹城 news item that studied 上海合作组织 speeches was filed under 上海市 (session 46's
# held-out pages). Media named after their place (福建日报, 江苏广电总台) stay: they are the page's own evidence; so does
# a place's motto (`桥东精神` in 桥东区's own speech), though 上海精神 and 延安精神 name no jurisdiction.
ORG_AFTER_PLACE = ("合作组织", "大学", "证券交易所", "交易所", "宣言", "议定书", "公约", "共识")
# …except a place's university town, its students and its science park (湘潭大学城, 花溪大学城, 福建省大学生创新创业,
# 湖南省大学科技产业园, 蚌埠大学园区, 桂林大学聚集区): the shared corpus's reports name their own places so.
ORG_FIRST_CHARS = frozenset(w[0] for w in ORG_AFTER_PLACE)  # one set lookup a hit before the words are compared
NOT_ORG_AFTER_PLACE = ("大学城", "大学生", "大学科技", "大学园", "大学聚集")
# Words that make a place's short name before them a region's or a slogan's (`中原更加出彩`, `中原农谷`, `郑州都市圈`,
# `武汉城市圈`, `皖江城市带`): a 新乡 letter went to 郑州 on 中原 (中原区) and 郑州都市圈 (session 49's left-alone list).
# Read after short names (aliases) only: a full name before them (`郑州市都市圈`) names its city.
AREA_AFTER_ALIAS = ("都市圈", "城市圈", "经济圈", "城市群", "城市带", "经济区", "经济带", "更加出彩", "农谷")
# …and after a county's short name only: `中原崛起`, `中原大地`, `中原出彩` name the Central Plains, while `江西崛起`,
# `江西大地` are the province's own
AREA_AFTER_COUNTY_ALIAS = ("崛起", "大地", "出彩")
AREA_FIRST_CHARS = frozenset(w[0] for w in AREA_AFTER_ALIAS + AREA_AFTER_COUNTY_ALIAS)
# A short name before 湖 or 岛 names a lake or an island (鄱阳湖, 广阳岛, 洪泽湖), not the county (session 50's
# left-alone list: `鄱阳湖生态经济区` counted for 鄱阳县 on every page about the lake) — unless a place's name starts
# there (德清湖州); nor is one before 乡/镇 where that makes a township's name (河口乡 is no 河口区: this round's
# fresh pages).
FEATURE_AFTER_ALIAS = frozenset("湖岛")
TOWN_SUFFIXES = frozenset("乡镇")
# A county-level city named like a township (桐乡, 宁乡, 丰镇) read as the tail of a longer township's name, which its
# own office follows (`莿桐乡公所`, `莿桐乡长廖秋蓉`: 莿桐乡 of 云林县 went to 浙江's 桐乡市, session 57's fresh pages):
# a city has no 公所 and its head is a 市长. 长 counts unless a place starts there (`新乡长垣`). The same township
# named again without its office (`莿桐乡立图书馆`) is the township too.
TOWN_OFFICE_AFTER = ("公所", "民代表会", "长")


def _place_at(text: str, at: int, prefix: Mapping[str, Sequence[str]]) -> bool:
    """Whether a division's name (or alias) starts at text[at]."""
    return any(text.startswith(k.lstrip("~"), at) for k in prefix.get(text[at : at + 2], ()))


# Offices that stand right before a person's name (`县长雷兴平`, `县委书记牛青山`, `市委常委、副市长孙矿玲`): a surname
# after one of them starts a name, and a place read from the name's tail (兴平 → 陕西省兴平市, 青山 → 青山区) is none.
OFFICE_BEFORE_NAME = (
    "书记",
    "县长",
    "市长",
    "区长",
    "省长",
    "镇长",
    "乡长",
    "旗长",
    "州长",
    "主任",
    "主席",
    "部长",
    "局长",
    "厅长",
    "委员",
    "常委",
    "理事长",
    "会长",
    "院长",
    "校长",
    "秘书长",
    "经理",
    "董事长",
    "总裁",
    # a reporter's or correspondent's name under the lead (`通讯员 沈永昌`: 永昌 → 甘肃 永昌县, session 60's fresh pages)
    "记者",
    "通讯员",
)
# Titles an overseas or association item puts after a name (`池洪湖主席`, `周某会长`, `高某先生`): a surname and a
# short place before one are a person (OFFICE_BEFORE_NAME's reasoning, the other way round)
TITLES_AFTER_NAME = ("主席", "会长", "理事长", "董事长", "总经理", "先生", "女士", "伉俪", "夫妇", "总领事", "大使")
# Surnames that are as often a conjunction or a preposition after an office (`蒋筑英同志和陕西骊山微电子公司`,
# `书记向广州市…`): never read as the start of a name.
NOT_SURNAME_AFTER_OFFICE = frozenset("和与及向在到于对同跟从由为将把被给让以自当")


# What a person named in a news report does (`王宁强调`, `王吉安排`): a place read across a two-character name and
# its verb (宁强 → 陕西省汉中市宁强县 in 云南's provincial news: session 47's fresh pages) is none.
NAME_VERBS = ("强调", "指出", "表示", "要求", "主持", "介绍", "安排", "提出", "希望")
# …when the name opens its sentence or clause (`\n王宁强调，`): read one character before it only, so a slice's scan
# agrees with the whole text's (find_places_in); a place opening a sentence has no surname before it.
NAME_OPENERS = frozenset(["\n", "。", "，", "；", "：", " ", "\u3000"])

SPACES = (" ", "\u3000")


@lru_cache(maxsize=1)
def _name_starts() -> frozenset[str]:
    """The one-character surnames of data/extract/surnames.txt (the people rules' list) that can start a name after
    an office (not NOT_SURNAME_AFTER_OFFICE)."""
    out: set[str] = set()
    for line in (DATA_DIR / "surnames.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            out.update(w for w in line.split() if len(w) == 1)
    return frozenset(out - NOT_SURNAME_AFTER_OFFICE)


def _office_before(text: str, at: int) -> bool:
    """Whether an office word (OFFICE_BEFORE_NAME) ends right before text[at], a space or two between allowed."""
    k = at
    while k > 0 and at - k < 2 and text[k - 1] in SPACES:
        k -= 1
    return text.endswith(OFFICE_BEFORE_NAME, max(0, k - 3), k)


# A list of people after a group label or in an enumeration (`县领导尤典真、王永春`, `黄政红、杜永春、鲁永明`,
# `…李灿光杜永春等出席`): a three-character item whose tail is a place (永春 → 福建省泉州市永春县) is a name. Places
# listed are two- or three-character names whose hit starts the item (`福州、泉州、厦门`, `老河口、丹江口`).
GROUP_LABELS = ("领导", "成员", "同志", "有：", "有:", "是：", "是:")
LIST_OPEN = frozenset("、，,：: \u3000\n")
LIST_CLOSE = frozenset("、，,。；; \u3000\n")
# `…杜永春等出席`: a name list run together, ended by 等 and what the listed people did
AFTER_LIST = ("出席", "参加", "陪同", "列席", "参会", "在主席台", "领导", "同志")


def _listed_name(text: str, at: int, end: int) -> bool:
    """Whether text[at:end] (a surname and a two-character place) is an item of a list of people."""
    before = text[at - 1 : at]
    after = text[end : end + 1]
    if after == "等":
        return text.startswith(AFTER_LIST, end + 1)
    if text.startswith("同志", end):
        return True  # `王永春同志`: a person however he is introduced
    if after not in LIST_CLOSE and not text.startswith(AFTER_LIST, end):
        return False  # nothing after it (a slice's end) is no list's close: a slice reads as the whole text does
    if before == "、" or (after == "、" and before in LIST_OPEN):
        return True
    return text.endswith(GROUP_LABELS, max(0, at - 3), at)


def _scan_places(text: str, pos: int = 0, shift: int = 0) -> Iterator[PlaceHit]:
    """find_places' scan of `text` from `pos` on (a hit never starts before pos); hits at their positions + shift (a
    slice's hits at the whole text's, made once instead of shifted copies: ~1 % of extract's CPU, session 60)."""
    gz = load_gazetteer()
    in_leaders = _leader_name_tails()
    nxt = pos  # end of the last hit: the scan resumes there
    prefix = gz.prefix2
    sc = _scanners(gz)
    entries = sc.entries
    name_starts = _name_starts()
    words = _pair_words()  # one lookup a scan, not one a short name (_straddles reads it at every alias hit)
    tags = _common_words()
    idioms = _idioms()
    people: set[str] = set()  # names whose tail is a place, met after an office (雷兴平): the same again is none
    towns: set[str] = set()  # townships whose name ends in a city's short name, met with their office (莿桐乡)
    size = len(text)
    for i in _gram_starts(text, sc, sc.prefixes, pos):
        if i < nxt:
            continue
        gram = text[i : i + 2]
        before = text[i - 1] if i else ""  # "" is in none of the character sets below, as no character before is
        for key, surface, alias, n, short_alias, town_tail, acting, appointed, conjunction in entries[gram]:
            if text.startswith(surface, i):
                if alias and before in _NUMERIC_BEFORE:
                    continue  # 千亿元大关, 3个大同: an alias after a count is a word
                if (
                    i
                    and (parts := in_leaders.get(gram))
                    and any(i >= k and text.startswith(nm, i - k) for k, nm in parts)
                ):
                    continue  # 王岐山, 张德江, 孙中山: the tail of a national leader's name is no place
                end = i + n
                if short_alias and i:
                    if i >= 2 and text[i - 2 : end] in idioms:
                        continue  # 同心同德, 一视同仁, 否极泰来, 稳如泰山: an idiom's end, not 同德县/同仁市/泰来县/泰山区
                    if (
                        before not in PLACE_AFTER
                        and text[i - 1 : i + 1] in words
                        and (text[i + 1 : i + 3] in words or _mistagged(text[i + 1 : i + 3], tags, gz))
                        and i + 3 <= size
                    ):
                        continue  # 弘扬|中华: 扬中 (扬中市) read across two words (_straddles, inline: most hits ask it)
                    if (
                        before not in PLACE_AFTER
                        and before not in NOT_SURNAME_AFTER_OFFICE
                        and _inside_a_word(text, i, tags, gz)
                    ):
                        # 旧金山, 山明水秀: a longer word holds the short name (金山区, 明水县), which is none; not after
                        # a conjunction (`…园和永宁、贺兰`: jieba's 和永宁 is a name)
                        continue
                after = text[end : end + 1]
                if alias and (
                    (after in FEATURE_AFTER_ALIAS and not _place_at(text, end, prefix))
                    or (surface[-1] == "城" and text.startswith(AREA_AFTER_ALIAS, end - 1))
                    or (after in TOWN_SUFFIXES and text[i : end + 1] in gz.towns)
                ):
                    # 鄱阳湖, 广阳岛: a lake or an island named after a place; 皖江城市带: 江城 read across the region's
                    # name; 河口乡: a township named like a county (河口区), which find_towns reads
                    nxt = end
                    break
                if town_tail and i:
                    if text[i - 1 : end] in towns:
                        nxt = end
                        break  # `莿桐乡立图书馆` after `莿桐乡公所`: the township named so above
                    if (
                        "\u4e00" <= before <= "\u9fff"
                        and before not in PLACE_AFTER
                        and text.startswith(TOWN_OFFICE_AFTER, end)
                        and not (text.startswith("长", end) and _place_at(text, end, prefix))
                    ):
                        towns.add(text[i - 1 : end])
                        nxt = end
                        break  # 莿桐乡公所: a township's name ending in a city's short name (TOWN_OFFICE_AFTER)
                if acting and text.startswith("长", end):
                    continue  # 代县长, 代区长: an acting county head (代 = acting), not 代县 (山西忻州)
                if appointed and text.startswith(APPOINTED_OFFICES, end):
                    continue  # 任县委书记, 任县长: appointed to (任) a county's office, not 任县 (河北邢台)
                if conjunction and i and before in ORGAN_ENDS and text.startswith(ORGAN_STARTS, end):
                    continue  # `县人民法院和县人民检察院`, `各乡镇和县直各部门`: 和 (and) and 县, not 和县
                if n == 2 and not alias and i and i != nxt and _word_tail(text, i, words):
                    continue  # 示范县, 完成县委, 提高县域, `》和县妇联`: a word's tail and 县, not 范县/成县/高县/和县
                if (
                    after in ORG_FIRST_CHARS
                    and text.startswith(ORG_AFTER_PLACE, end)
                    and not text.startswith(NOT_ORG_AFTER_PLACE, end)
                ):
                    break  # 上海合作组织, 北京大学, 深圳证券交易所: an organisation named after its place
                if (
                    alias
                    and after in AREA_FIRST_CHARS
                    and (
                        text.startswith(AREA_AFTER_ALIAS, end)
                        or (
                            text.startswith(AREA_AFTER_COUNTY_ALIAS, end)
                            and all(d.level == COUNTY for d in gz.by_name[key])
                        )
                    )
                ):
                    # 中原更加出彩, 郑州都市圈: a region or a slogan named after a place, not the place; nor is a name
                    # read inside it (南昌都市圈's 昌都市, 兰西城市群's 西城)
                    nxt = end
                    break
                if n == 2 and before in name_starts:  # a given name holds a short form
                    if people and text[i - 1 : end] in people:
                        break  # `雷兴平汇报了`: the person named by office above
                    if text.startswith(TITLES_AFTER_NAME, end):
                        people.add(text[i - 1 : end])
                        break  # `池洪湖主席伉俪`: a name before its title (洪湖 → 湖北 洪湖市, session 60's fresh page)
                    if text.startswith(NAME_VERBS, end - 1) and text[i - 2 : i - 1] in NAME_OPENERS:
                        break  # `。王宁强调`: a two-character name opening its sentence, then its verb
                    if (
                        text.endswith(OFFICE_BEFORE_NAME, max(0, i - 4), i - 1)
                        or (text[i - 2 : i - 1] in SPACES and _office_before(text, i - 1))
                        or _listed_name(text, i - 1, end)
                    ):
                        people.add(text[i - 1 : end])
                        break  # 县长雷兴平, 书记牛青山: a place inside the given name of a person named by office
                if (
                    n == 3
                    and not alias
                    and i
                    and text[i - 1] in name_starts
                    and surface[-1] in HEAD_KINDS
                    and OWN_HEAD_RE.match(text, end)
                ):
                    people.add(text[i - 1 : end - 1])
                    break  # `陳福海縣長` (Kinmen's head): a person's given name and his office, not 福海县 (新疆)
                yield PlaceHit(i + shift, end + shift, surface, key, alias)
                nxt = end
                break


# A division's kind whose head's office is that character and 长 (`县长`, `市长`, `区长`): a surname, a two-character given
# name and the office read as a county's full name and 长 (`陳福海縣長` → 福海县, 新疆: session 59's fresh pages)
HEAD_KINDS = frozenset("县市区")


@lru_cache(maxsize=1)
def _idioms() -> frozenset[str]:
    """The four-character words jieba tags as idioms (i): `tags.get(w) == "i"` for the four characters before a short
    name's end, in a set a few hundred KB large instead of the 350k-word table (a cache miss a lookup)."""
    return frozenset(w for w, tag in _common_words().items() if tag == "i" and len(w) == 4)


# A two-character county (X县) whose X closes the word before it (示范|县, 完成|县委, 提高|县域, 到达|县城) is that
# word and 县 (范县, 成县, 高县 and 达县 were read in county reports: session 48's fresh pages); a place right before
# it (山东单县, 湖北房县) keeps it. After a closing mark, 和县 is `and county` (`…的请示》和县妇联`).
CLOSING_MARKS = frozenset("》」』”）)")
# `县委副书记、代县长叶青`: 代 before an office is `acting`; 代县 + 长 reads as 代县长, never 代县 (session 49's fresh
# pages: a 庆元县 news item went to 山西省忻州市代县)
ACTING = frozenset("代")
# `在…财政弱县任县委书记`: 任 (to serve as) before a county's office; 任县 was read (a 围场 page's only other county, which
# took it from its region: session 54's fresh pages). 任县's own committee writes `中共任县县委`.
APPOINTED = frozenset("任")
APPOINTED_OFFICES = ("长", "委书记", "委副书记", "委常委")
CONJUNCTION_COUNTIES = frozenset(["和县"])
# Between two organs 和县 is `and county`: an organ's last character before it, a county organ's first words after it
# (`县人民法院和县人民检察院`: a 紫阳县 page went to 安徽 和县, this round's fresh pages). 和县's own pages write
# `马鞍山市和县人民政府`, `中共和县县委`, `在和县`: no organ's end before it.
ORGAN_ENDS = frozenset("院委府局办会部门位厅组所站队镇乡校")
ORGAN_STARTS = ("人民", "委", "政府", "直", "级", "人大", "政协", "纪委", "法院", "检察院", "公安", "领导", "各")


def _word_tail(text: str, i: int, words: Container[str] | None = None) -> bool:
    """Whether the two-character county at text[i:i+2] is read as the tail of the word before it and 县."""
    before = text[i - 1]
    if before in CLOSING_MARKS:
        return text.startswith(tuple(CONJUNCTION_COUNTIES), i)
    return before + text[i] in (_pair_words() if words is None else words)


# Prepositions and verbs of motion a place name follows: the word they make with its first character is no word there.
PLACE_AFTER = frozenset("至到赴在往从于向去来经抵驻")


def _straddles(text: str, i: int, words: Container[str] | None = None) -> bool:
    """Whether the two-character short name at text[i:i+2] is the end of one word and the start of the next, both words
    of jieba's table and neither a place (`弘扬中华民族` reads 扬中, 扬中市's short form: session 53's fresh pages)."""
    if text[i - 1] in PLACE_AFTER:
        return False  # `福州至福清高速`: 至福 and 清高 are words, but a place follows 至
    words = _pair_words() if words is None else words
    second = text[i + 1 : i + 3]
    return (
        text[i - 1 : i + 1] in words
        and (second in words or _mistagged(second, _common_words(), load_gazetteer()))
        and i + 3 <= len(text)
    )


@lru_cache(maxsize=1)
def _pair_words() -> frozenset[str]:
    """The two-character words of jieba's table it does not tag ns (a place): all _straddles and _word_tail ask of
    it, in a set a third of the table's size (its lookups missed the cache at most alias hits, session 58)."""
    return frozenset(w for w, tag in _common_words().items() if len(w) == 2 and tag != "ns")


def _mistagged(word: str, tags: Mapping[str, str], gz: Gazetteer) -> bool:
    """A two-character word jieba tags ns that is no division's name (`庆典`): the second word of a straddle
    (`盛大|庆典` read 大庆, 大庆市's short form: session 60's fresh Taiwanese page went to 黑龙江)."""
    return tags.get(word) == "ns" and word not in gz.by_name and "~" + word not in gz.by_name


def _inside_a_word(text: str, i: int, tags: Mapping[str, str], gz: Gazetteer) -> bool:
    """Whether the two-character short name at text[i:i+2] lies inside a three- or four-character word of jieba's
    table that starts before it and is no division's name (`旧金山` → 金山, `山明水秀` → 明水: a foreign city and a
    scenic idiom read as 上海 金山区 and 黑龙江 明水县, session 59's and 60's fresh pages): that word's part, no place."""
    for w in (text[i - 1 : i + 2], text[i - 2 : i + 2] if i >= 2 else "", text[i - 1 : i + 3]):
        if len(w) >= 3 and w in tags and w not in gz.by_name and w not in gz.towns:
            return True
    return False


# The last text scanned whole and its hits: annotate's mentions read a document's text whole, and its people and
# places rules may ask again (tasks.extract_people); the fields scan the half-width text first (to_half).
_LAST_PLACES: tuple[str, list[PlaceHit]] = ("", [])
# Texts shorter than this (a byline, an office, a meeting's name: the fields scan a few after the body) are scanned
# without taking the memo's place: they evicted the document's text before its mentions in ~9 % of a 20k-bench
# shard's documents, which were then scanned whole again (session 10). A speech's text is thousands of characters.
PLACES_MEMO_MIN_CHARS = 200


def find_places(text: str) -> list[PlaceHit]:
    """All division names (full names and safe aliases) in `text`, leftmost-longest, non-overlapping."""
    global _LAST_PLACES
    last, hits = _LAST_PLACES
    if text is last or text == last:
        return list(hits)
    if len(text) == len(last) and not any(c in text for c in _half_unsafe()) and to_half(text) == last:
        return list(hits)  # the fields read the half-width text (to_half), the mentions table the text itself
    if len(text) < PLACES_MEMO_MIN_CHARS:
        return list(_short_places(text, id(load_gazetteer())))
    hits = list(_scan_places(text))
    _LAST_PLACES = (text, hits)
    return list(hits)


# The short texts the fields scan (a byline, an office, a meeting's name, a title, a name: ~9 a document) come back
# page after page: two 20k-bench shards asked for 10.1k scans of 4.0k distinct strings (session 59). Their hits are
# remembered, this many texts of under PLACES_MEMO_MIN_CHARS (a few MB at most), keyed with the gazetteer's id.
SHORT_PLACES_MEMO = 4096


@lru_cache(maxsize=SHORT_PLACES_MEMO)
def _short_places(text: str, gazetteer: int) -> tuple[PlaceHit, ...]:
    return tuple(_scan_places(text))


@lru_cache(maxsize=1)
def _half_unsafe() -> frozenset[str]:
    """Characters whose half-width form (to_half: one character for one) could change a scan's hits: in a name, or
    counted differently by the `3个大同` rule (％ is not a count sign, % is). Text without them has the same hits as
    its half-width form, at the same positions."""
    gz = load_gazetteer()
    in_names = {c for names in gz.prefix2.values() for key in names for c in key.lstrip("~")}
    return frozenset(
        c
        for c, h in _HALF_OF.items()
        if len(h) != 1 or c in in_names or h in in_names or (c in _NUMERIC_BEFORE) != (h in _NUMERIC_BEFORE)
    )


def find_places_in(text: str, start: int, end: int, positions: bool = True) -> list[PlaceHit]:
    """`find_places(text[start:end])`, the slice scanned alone (not memoized: it would evict a whole text's hits).

    positions=False: the hits at the whole text's positions, for a reader of their names and of the text around them
    in the whole text (resolve_region reads a hit's own organ there: a body opening `嘉義縣長翁章梁…` was once looked
    up at the text's start).
    The whole text was scanned first (a memo shared with the mentions table) and the slice read from it; the mentions
    table runs in annotate now, another process, so that scan served nothing else: on the 20k bench it was ~12 % of
    extract's CPU (py-spy of the cold calls, session 59), against the slice's ~1.4 %.
    """
    return list(_scan_places(text[start:end], 0, 0 if positions else start))


def find_towns(text: str) -> list[tuple[int, str]]:
    """Township names with their suffix (大梁庄乡, 东郭村镇): strong evidence for the county above them."""
    gz = load_gazetteer()
    out: list[tuple[int, str]] = []
    nxt = 0
    tp = gz.town_prefix2
    sc = _scanners(gz)
    for i in _gram_starts(text, sc, sc.towns, 0):
        if i < nxt:
            continue
        for t in tp[text[i : i + 2]]:
            if text.startswith(t, i):
                if t[-1] == "乡" and text.startswith(KIN, i + len(t) - 1):
                    break  # `马祖乡亲` (Matsu's folk): the word 乡亲, not the township 马祖乡
                if (
                    len(t) == 3
                    and t.endswith(HOME)
                    and t[0] in HOME_BEFORE
                    and i
                    and "\u4e00" <= text[i - 1] <= "\u9fff"
                    and text[i - 1] not in COUNTY_ENDS
                ):
                    break  # `熱衷於家鄉活動` (keen on the hometown's events): 于 and 家乡, not the township 于家乡 (井陉县)
                out.append((i, t))
                nxt = i + len(t)
                break
    return out


# 乡亲 (fellow townsfolk) after a place's name is a word: `马祖乡亲`, `金门乡亲` name no township. 马祖乡 is the mainland
# table's township of Fujian's 连江县 (the islands Taiwan's 连江县 is), and `馬祖鄉親` on a Taiwanese page took the page
# to Fujian (session 58's fresh pages).
KIN = "乡亲"
# 家乡 (hometown) after a preposition or a verb of going (`热衷于家乡`, `支持在家乡`, `常回家乡`) read as a township named
# X家乡 (于家乡 of 井陉县 took a Kinmen page to Hebei: session 59's fresh pages); the township's own name follows its
# county (`井陉县于家乡`) or opens its clause.
HOME = "家乡"
HOME_BEFORE = frozenset("于在回返到为")
COUNTY_ENDS = frozenset("县市区旗")


# A character's code point fits in 21 bits (U+10FFFF), so two or three of them pack into one uint64: a text's
# two- and three-character grams are then one NumPy array, looked up in the sorted codes of the names' first two
# (three) characters in C. On a 20k-bench shard the old scans' candidate positions (a first character followed by
# any possible second one) were 14 % (towns: 25 %) of all characters, of which 7 % (1.5 %) started a name: the
# Python loop ran at every one of them, ~20 % of extract's CPU.
CODE_BITS = 21


# Bits of a character's entry in _Scanners.chars: which gram positions it can take.
PLACE_FIRST, PLACE_SECOND, TOWN_FIRST, TOWN_SECOND, TOWN_THIRD = 1, 2, 4, 8, 16


@dataclass(frozen=True)
class _Scanners:
    chars: Any  # uint8 per code point (0x110000): the PLACE_*/TOWN_* bits of the gram positions it occurs at
    prefixes: tuple[int, Any, Any]  # (2, first bit, sorted uint64 codes of prefix2's two-character keys)
    towns: tuple[int, Any, Any]  # (3, first bit, sorted uint64 codes of the townships' first three characters)
    pairs: frozenset[str]  # the grams of prefixes and towns as strings: a short text's scan in Python (_gram_starts)
    triples: frozenset[str]
    # prefix2's names by their first two characters, each as _scan_entry gives it: what _scan_places read off each key
    # at every candidate (`key[1:]`, `key[0] == "~"`, the rules' tests of the name alone), read once
    entries: dict[str, tuple[tuple[str, str, bool, int, bool, bool, bool, bool, bool], ...]]


_SCANNERS: dict[int, _Scanners] = {}


def _scan_entry(key: str) -> tuple[str, str, bool, int, bool, bool, bool, bool, bool]:
    """(key, surface, is_alias, length) and what _scan_places' rules ask of the name alone: a two-character alias (the
    idiom and straddle rules), an alias ending in 乡/镇 (the township rules), a two-character name opening with 代 or
    任 (acting / appointed), 和县."""
    alias = key[0] == "~"
    surface = key[1:] if alias else key
    n = len(surface)
    return (
        key,
        surface,
        alias,
        n,
        alias and n == 2,
        alias and surface[-1] in TOWN_SUFFIXES,
        n == 2 and surface[0] in ACTING,
        n == 2 and surface[0] in APPOINTED,
        surface in CONJUNCTION_COUNTIES,
    )


def _gram_code(s: str) -> int:
    code = 0
    for c in s:
        code = (code << CODE_BITS) | ord(c)
    return code


def _scanners(gz: Gazetteer) -> _Scanners:
    """The sorted gram codes of the names' first two characters and of the townships' first three (all have three
    or more): a position whose gram is not among them cannot start a name, so the scans try only the others. A
    per-character table of the gram positions each character occurs at narrows the grams looked up first."""
    import numpy as np

    key = id(gz)
    if key not in _SCANNERS:
        pairs = {k for k in gz.prefix2 if len(k) == 2}  # a one-character name never matched (two are read)
        triples = {t[:3] for names in gz.town_prefix2.values() for t in names}
        chars = np.zeros(0x110000, dtype=np.uint8)
        _SCANNERS[key] = _Scanners(
            chars,
            (2, PLACE_FIRST, _mark_grams(chars, pairs, (PLACE_FIRST, PLACE_SECOND))),
            (3, TOWN_FIRST, _mark_grams(chars, triples, (TOWN_FIRST, TOWN_SECOND, TOWN_THIRD))),
            frozenset(pairs),
            frozenset(triples),
            {gram: tuple(map(_scan_entry, keys)) for gram, keys in gz.prefix2.items()},
        )
    return _SCANNERS[key]


def _mark_grams(chars: Any, grams: set[str], bits: tuple[int, ...]) -> Any:
    """Set bits[k] in `chars` for the k-th character of every gram; the grams' sorted codes (_gram_code). In NumPy:
    the loop over the townships' 34k grams, one NumPy scalar update a character, was 0.12-0.19 CPU-s of every fresh
    extract or annotate worker's first call (session 56). Every gram has `width` characters (the callers cut them)."""
    import numpy as np

    width = len(bits)
    points = np.frombuffer("".join(grams).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).reshape(-1, width)
    codes = np.zeros(len(points), dtype=np.uint64)
    for k, bit in enumerate(bits):
        chars[points[:, k]] |= bit  # a character repeated in the column is set once, as often as it occurs
        codes = (codes << np.uint64(CODE_BITS)) | points[:, k].astype(np.uint64)
    codes.sort()
    return codes


# A bit set over a hash of the gram codes (a Bloom filter with one hash): a text's candidate grams that miss it are
# no name's, and only the rest are binary-searched in the sorted codes. The binary search (~15 steps into 30k codes
# for the townships) was half of the scans' CPU, ~3 % of extract's (session 10). 2^20 entries (1 MB a table) keep
# the false hits at ~3 % for the townships' 33k codes; the hash is Fibonacci hashing (the top bits of the code times
# 2^64 / golden ratio, wrapping), which spreads neighbouring codes. The compiled scan reads it packed, a bit per entry
# (128 KB: a core's 512 KB L2 holds it, the byte-per-entry 1 MB did not): the townships' scan of a 20k-bench shard's
# texts 0.060-0.102 -> 0.049 CPU-s (session 59; a quarter of a text's positions read the filter).
GRAM_FILTER_BITS = 20
_GOLDEN = 0x9E3779B97F4A7C15
_GRAM_FILTERS: dict[
    int, tuple[Any, Any, Any]
] = {}  # id(codes) -> (codes, its filter, packed): codes arrays live as long as their tables


def _gram_hash(codes):
    import numpy as np

    return (codes * np.uint64(_GOLDEN)) >> np.uint64(64 - GRAM_FILTER_BITS)


def _gram_filter(codes):
    """The filter of a sorted codes array, built on first use (a thread that builds it again builds the same)."""
    return _gram_filters(codes)[0]


def _packed_gram_filter(codes):
    """_gram_filter's bits packed eight to a byte (bit h & 7 of byte h >> 3): what the compiled scan reads."""
    return _gram_filters(codes)[1]


def _gram_filters(codes):
    import numpy as np

    got = _GRAM_FILTERS.get(id(codes))
    if got is None or got[0] is not codes:
        bits = np.zeros(1 << GRAM_FILTER_BITS, dtype=bool)
        bits[_gram_hash(codes)] = True
        got = _GRAM_FILTERS[id(codes)] = (codes, bits, np.packbits(bits, bitorder="little"))
    return got[1], got[2]


@lru_cache(maxsize=1)
def _compiled_kernels() -> Any:
    """tasks._textscan (compiled at install by setup.py), or None where it was not built: _gram_starts then runs
    its numpy passes (the same positions). Imported on first use, as numpy is here."""
    try:
        import tasks._textscan as kernels
    except ImportError:  # pragma: no cover - an install without a C compiler
        return None
    return kernels


# A text this short (an office, a byline, a meeting's name: ~9 scans a document) is scanned in Python, a set lookup
# per position (~0.15 us): the encoding, NumPy arrays and compiled call cost ~8 us a scan alone, ~24 us in a worker
# between the fields' other reads (20k bench, session 58: 5.9k of a shard's 9.5k scans were this short, 3 % of
# extract's CPU). The same positions: a gram's code is among the codes exactly when its characters are a gram.
SHORT_SCAN_CHARS = 48


# The last long text encoded for a scan and its code points: resolve_region scans a body for places, then for
# townships (find_places_in's slice and the body are equal strings, not one object): encoded once, not twice (~0.5 % of
# extract's CPU, session 60). Only texts this long take it (a clause's scan between would evict the body's).
_LAST_POINTS: tuple[str, Any] = ("", None)
POINTS_MEMO_MIN_CHARS = 200


def _code_points(part: str) -> Any:
    """part's code points as a uint32 array (UTF-32, lone surrogates as themselves); a long text's is remembered."""
    import numpy as np

    global _LAST_POINTS
    last, points = _LAST_POINTS
    if part is last or (len(part) == len(last) and part == last):
        return points
    points = np.frombuffer(part.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if len(part) >= POINTS_MEMO_MIN_CHARS:
        _LAST_POINTS = (part, points)
    return points


def _gram_starts(
    text: str, sc: _Scanners | None, table: tuple[int, Any, Any], pos: int, end: int | None = None
) -> list[int]:
    """Positions >= pos (and < end), in order, where text's `width`-character gram is one of the sorted `codes`:
    table = (width, first bit of sc.chars, codes), or with sc None (width, a bool per code point saying it can
    start a gram, codes). Only text[pos : end + width - 1] is read (encoded): a scan resumed near the end of a long
    text, or a window of it, costs its own length."""
    import numpy as np

    width, bit, codes = table
    stop = len(text) if end is None else min(len(text), end + width - 1)
    if stop - pos < width:
        return []
    if stop - pos <= SHORT_SCAN_CHARS and sc is not None and (table is sc.prefixes or table is sc.towns):
        known = sc.pairs if table is sc.prefixes else sc.triples
        return [i for i in range(pos, stop - width + 1) if text[i : i + width] in known]
    part = text if pos == 0 and stop == len(text) else text[pos:stop]
    points = _code_points(part)
    kernels = _compiled_kernels()
    if kernels is not None:  # the same positions, ~2.2x quicker (session 22: 17 % of extract's CPU was these scans)
        kinds, bit, checked = (table[1].view(np.uint8), 1, 1) if sc is None else (sc.chars, bit, width)
        maybe = _packed_gram_filter(codes)
        at = kernels.gram_starts(points, kinds, bit, checked, width, maybe, GRAM_FILTER_BITS, codes)
        if pos:
            at += pos
        return at.tolist()
    n = len(points) - width + 1
    if sc is None:  # table[2]: a bool per code point up to the largest first character (then one False)
        firsts = table[1]
        at = np.flatnonzero(firsts[np.minimum(points[:n], len(firsts) - 1)])
        if not len(at):
            return []
    else:
        kinds = sc.chars[points]
        ok = (kinds[:n] & bit) != 0
        for k in range(1, width):
            ok &= (kinds[k : k + n] & (bit << k)) != 0
        at = np.flatnonzero(ok)
        if not len(at):
            return []
    grams = points[at].astype(np.uint64)
    for k in range(1, width):
        grams <<= np.uint64(CODE_BITS)
        grams |= points[at + k]
    maybe = _gram_filter(codes)[_gram_hash(grams)]
    at, grams = at[maybe], grams[maybe]
    found = np.searchsorted(codes, grams)
    found[found == len(codes)] = 0
    at = at[codes[found] == grams]
    if pos:
        at += pos
    return at.tolist()


def literal_scan(text: str, by_prefix: Mapping[str, Sequence[str]], table: tuple[int, Any, Any]) -> list[tuple]:
    """(start, end, word) of `re.finditer("|".join(words))` for words of two or more characters sorted longest
    first: at each position the longest word, scanning on after it. by_prefix maps a word's first two characters to
    its words, longest first; table = (2, first, sorted uint64 _gram_code of by_prefix's keys), first[c] saying
    whether code point c starts a key (up to the largest, then one False)."""
    out = []
    nxt = 0
    for i in _gram_starts(text, None, table, 0):
        if i < nxt:
            continue
        for w in by_prefix[text[i : i + 2]]:
            if text.startswith(w, i):
                nxt = i + len(w)
                out.append((i, nxt, w))
                break
    return out


# A news dateline names where the story was filed, not whose it is (`新华社北京3月14日电`, `中新社北京三月十六日電`,
# `中评社天津9月1日电`, `中央社记者王扬宇台北26日电`), as does the place-and-date line of a speech's copy
# (`中華民國111年1月30日于臺北市`): national news about the premier's press conference was 北京市 and Taiwan's new-year
# addresses 台湾省台北市 (session 46's held-out and fresh pages). The place ends right where the date starts.
DATELINE_DATE_RE = re.compile(
    r"(?:(?:[0-9]{1,2}|[一二三四五六七八九十]{1,2})月)?(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})$"
)
# A dateline's mark: an agency's 电, a paper's 讯 (`永州2月23日讯（记者…）23日，道县召开…`: the city the paper is
# published in, not the county it reports on — session 50's left-alone list).
NEWS_MARKS = ("电", "電", "讯", "訊")
# `新华社南京电`: an agency's dateline without its date.
AGENCIES = ("新华社", "新華社", "中新社", "中评社", "中評社", "中央社")
AGENCY_DATELINE_RE = re.compile(r"(?P<place>[\u4e00-\u9fff]{2,8}?)[电電]")
DATELINE_AT_RE = re.compile(r"\s?(?P<place>[\u4e00-\u9fff]{2,8}?)\s*(?:[)）\n]|$)")
# A national venue (`在北京人民大会堂闭幕`, `北京钓鱼台国宾馆`) names no jurisdiction either: (venue, its rarest character).
VENUES = (("人民大会堂", "堂"), ("钓鱼台", "钓"))
DATELINE_PLACE_CHARS = 8  # the longest place a dateline names before its date (内蒙古自治区 is 6)
DATELINE_DATE_CHARS = 12  # `十二月三十一日 ` is the longest date a dateline writes
# Datelines and venues stand at a page's top (the news lead, the place-and-date line under a title): only this many
# characters of a part are read for them. str.find over a 60k-character CJK text cost up to ~0.5 ms (two characters,
# or one whose low byte is common in CJK text): every search here is for one character within these, and its
# neighbours are then compared.
DATELINE_CHARS = 3000


def _place_ending(text: str) -> str | None:
    """The place `text` ends with, if any."""
    last = None
    for h in _scan_places(text):
        last = h
    return last.surface if last is not None and last.end == len(text) else None


def _finds(text: str, char: str, stop: int) -> Iterator[int]:
    at = text.find(char, 0, stop)
    while at >= 0:
        yield at
        at = text.find(char, at + 1, stop)


# A place a national leader went to (`深入学习贯彻习近平总书记考察河北承德重要讲话精神`, `在福建考察时的重要讲话精神`,
# `李克强总理考察广西时`) or an instruction of his about an event somewhere (`对四川省西昌市经久乡森林火灾作出的重要指示`)
# is where someone else's visit or speech was, not the page's own jurisdiction: a Jiangsu page studying the Chengde
# speech was filed under 河北省, 淮安's and 盟工商联's notes under 湖北省 and 巴彦淖尔市 (session 47's fresh pages).
# `对江苏工作的重要指示` on a Jiangsu page names its own province, so an instruction's place counts as no place only
# when an event, not 工作, follows it before 作出.
VISIT_RE = re.compile(r"考察|视察|调研|作出")
# The national leader the reference opens with: his office or one of the national leaders' names (leaders.txt).
LEADER_WORDS = ("总书记", "国家主席", "总理", "委员长", "中央领导")
# How far before the verb the leader may stand: `习近平总书记在省部级主要领导干部…专题研讨班开班式上的重要讲话精神、在湖北考察时`
# lists his speeches after one mention (淮安's page: 55 characters); the clause bounds it too.
VISIT_LEADER_CHARS = 80
VISIT_PLACE_CHARS = 12  # the places a visit names run this long at most (`内蒙古自治区巴彦淖尔市` is 10)
INSTRUCTION_CHARS = 30  # `对四川省西昌市经久乡森林火灾作出`: the place after 对 and the event before 作出
# References are read in a part's opening, as datelines are (a news lead, a meeting's agenda): in a long report the
# page's own places outnumber a visit's, and the verbs (作出 is common) scanned over 60k characters cost ~10 us a
# thousand characters, ~3 % of extract on 300 shared-corpus reports.
VISIT_CHARS = 3000
# A sentence or clause boundary: the leader must stand in the verb's own clause (a list joined by 、 is one clause).
_CLAUSE_ENDS = "。；;！!？?\n，,"


@lru_cache(maxsize=1)
def _leader_re() -> re.Pattern:
    """LEADER_WORDS or a national leader's name (leaders.txt), one alternation: searched in C over a verb's window
    (65 substring tests per verb were ~40 % of resolve_region's added cost on 300 shared-corpus reports)."""
    names = []
    for line in (DATA_DIR / "leaders.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            if parts[-1] == "national":
                names.append(parts[0])
    return re.compile("|".join(map(re.escape, (*LEADER_WORDS, *sorted(names, key=len, reverse=True)))))


_CLAUSE_END_RE = re.compile(f"[{_CLAUSE_ENDS}]")


def _leader_before(text: str, at: int) -> bool:
    """Whether a national leader (by office or name) stands within VISIT_LEADER_CHARS before `at`, in its clause."""
    last = None
    for last in _leader_re().finditer(text, max(0, at - VISIT_LEADER_CHARS), at):  # noqa: B007 - the last one
        pass
    return last is not None and _CLAUSE_END_RE.search(text, last.end(), at) is None


def _chain(hits: list[PlaceHit], start: int | None = None, end: int = 0) -> list[str]:
    """The surfaces of the run of adjacent hits that starts at `start` (reading on) or else ends at `end` (reading
    back): `河北承德` is 河北 then 承德."""
    out: list[str] = []
    if start is not None:
        at = start
        for h in hits:
            if h.start != at:
                break
            out.append(h.surface)
            at = h.end
        return out
    at = end
    for h in reversed(hits):
        if h.end != at:
            break
        out.append(h.surface)
        at = h.start
    return out


def visited_places(text: str, pos: int = 0) -> list[str]:
    """Surfaces of the places a national leader visited or gave an instruction about (VISIT_RE), one per hit, for
    the verbs from `pos` on (text[:pos] is context: the leader may stand there)."""
    out: list[str] = []
    for m in VISIT_RE.finditer(text, pos, pos + VISIT_CHARS):
        s, e = m.span()
        if m.group() == "作出":
            k = text.rfind("对", max(0, s - INSTRUCTION_CHARS), s)
            if k < 0 or not _leader_before(text, k):
                continue
            hits = list(_scan_places(text[k + 1 : s]))
            chain = _chain(hits, start=0)
            if chain and not text.startswith("工作", k + 1 + sum(len(c) for c in chain)):
                out.extend(chain)
            continue
        if not _leader_before(text, s):
            continue
        # `考察河北承德`, `考察内蒙古时`: the places right after the verb
        out.extend(_chain(list(_scan_places(text[e : e + VISIT_PLACE_CHARS])), start=0))
        # `在福建考察时`, `在陕西榆林考察`: the places right before it
        head = text[max(0, s - VISIT_PLACE_CHARS) : s]
        out.extend(_chain(list(_scan_places(head)), end=len(head)))
    return out


# A delegation from elsewhere visiting the page's own place (`齐河县委书记孟令兴带领齐河党政考察团来我县参观考察`): the
# places the sentence names before the delegation are where it comes from, not the page's (a 庆云县 news item went to
# 齐河县: session 50's left-alone list, this round's fresh pages). Read only where the page says 来我/到我/临我.
GUEST_RE = re.compile(
    r"(?:考察|代表|调研|观摩|参观|学习|检查|督导|慰问|访问)[团组](?:一行)?[^。；;！!？?\n]{0,12}?"
    r"(?:来|到|莅临|临)(?:我|本)(?:县|市|区|旗|镇|乡|州|盟)"
)
GUEST_GATES = ("来我", "到我", "临我", "来本", "到本")
GUEST_CLAUSE_CHARS = 80  # the sentence before the delegation word it is read back over
GUEST_WINDOW_CHARS = 24  # a delegation word stands this far before its 来我县 at most (GUEST_RE: 4 + 2 + 12 + 3)


def guest_visit(text: str, top: int = DATELINE_CHARS) -> bool:
    """Whether text[:top] says a delegation from elsewhere came to the page's place (GUEST_RE)."""
    for gate in GUEST_GATES:
        at = text.find(gate, 0, top)
        while at >= 0:
            if GUEST_RE.search(text, max(0, at - GUEST_WINDOW_CHARS), at + len(gate) + 1):
                return True
            at = text.find(gate, at + 1, top)
    return False


def _guest_places(text: str, top: int) -> Iterator[str]:
    """Surfaces of the places a visiting delegation comes from, in text[:top] (GUEST_RE), read only around each
    来我/到我 … of the opening."""
    done = 0
    for gate in GUEST_GATES:
        at = text.find(gate, 0, top)
        while at >= 0:
            lo = max(done, at - GUEST_WINDOW_CHARS)
            if m := GUEST_RE.search(text, lo, at + len(gate) + 1):
                done = m.end()
                start = max(0, m.start() - GUEST_CLAUSE_CHARS)
                clause = text[start : m.start()]
                cut = max(clause.rfind(c) for c in "。；;！!？?\n")
                for h in _scan_places(clause[cut + 1 :]):
                    yield h.surface
            at = text.find(gate, at + 1, top)


# A host meeting a delegation from elsewhere (`上海市委书记李强会见了由江苏省委常委、南京市委书记张敬华率领的南京市党政代表团`):
# the places that say who leads it and whose it is are the guests', not the page's (a Shanghai page went to 南京市 and
# another to 郑州市: session 59's fresh pages). Read only around each 率领的/带领的 of the opening.
GUEST_LED_RE = re.compile(
    r"(?:会见|接见|会晤|宴请|欢迎|迎接)了?由(?P<who>[^。；;！!？?\n]{2,60}?)(?:率领|带领|率|为团长)的"
    r"(?P<group>[^。；;！!？?\n]{0,16}?)(?:代表团|考察团|访问团|调研组|考察组)"
)
GUEST_LED_GATES = ("率领的", "带领的", "率的", "为团长的")
GUEST_LED_CHARS = 80  # the host's verb stands this far before 率领的 at most (`会见了由` + who leads it)


def _led_guest_places(text: str, top: int) -> Iterator[str]:
    """Surfaces of the places naming a delegation a host meets and who leads it, in text[:top] (GUEST_LED_RE)."""
    done = 0
    for gate in GUEST_LED_GATES:
        at = text.find(gate, 0, top)
        while at >= 0:
            if at >= done and (m := GUEST_LED_RE.search(text, max(done, at - GUEST_LED_CHARS), at + GUEST_LED_CHARS)):
                done = m.end()
                for part in ("who", "group"):
                    for h in _scan_places(m.group(part)):
                        yield h.surface
            at = text.find(gate, at + 1, top)


# An association abroad named after its members' hometown (`菲律宾晋江同乡总会`, `菲晋江市龙湖镇联乡总会`,
# `旅菲塘市上郭同乡会`, `世界晋江同乡总会`, `香港龙湖同乡会`) governs nothing: the hometown in its name is no jurisdiction
# (three Manila associations' pages went to 福建省泉州市晋江市: session 59's fresh pages). Its country (or 旅 and the
# country's character, or 世界) stands before the hometown, the association's kind after it.
ABROAD_ORG_RE = re.compile(
    r"(?:旅[菲美英法德日泰印马缅越加澳欧非港]|菲律宾|菲|马来西亚|印尼|印度尼西亚|新加坡|泰国|缅甸|越南|柬埔寨|美国|加拿大"
    r"|澳洲|澳大利亚|新西兰|日本|英国|法国|德国|意大利|西班牙|荷兰|巴西|阿根廷|南非|世界|全球|香港|澳门)"
    # …and its note on the hometown's old extent (`世界惠州(府署)同乡恳亲大会`), and the world convention the associations hold
    # (恳亲大会: session 60 left `世界福建同鄉懇親大會`), and its hall (`新加坡惠州会馆`): session 61's fresh Medan item went to 惠州市
    r"(?P<home>[\u4e00-\u9fff]{2,8}?)(?:[（(][\u4e00-\u9fff]{1,4}[）)])?"
    r"(?:同乡总会|同乡会|联乡总会|联乡会|联谊总会|联谊会|宗亲总会|宗亲会|商会总会|商会|会馆|同乡恳亲大会|恳亲大会)"
)
ABROAD_ORG_GATES = ("同乡", "联乡", "联谊", "宗亲", "商会", "恳亲", "会馆")


def _abroad_org_places(text: str, top: int) -> Iterator[str]:
    """Surfaces of the hometowns associations abroad are named after, in text[:top] (ABROAD_ORG_RE)."""
    if not any(text.find(g, 0, top) >= 0 for g in ABROAD_ORG_GATES):
        return
    for m in ABROAD_ORG_RE.finditer(text, 0, top + 12):
        for h in _scan_places(m.group("home")):
            yield h.surface


def not_jurisdiction(text: str, lead: str = "") -> dict[str, int]:
    """Surfaces of places named in `text` by a dateline, as a venue or as where a national leader went, with how
    often: resolve_region skips that many of the text's hits of each (the same names, so no positions are needed).
    `lead` is what stands right before `text` on the page (a body cut from its head mid-sentence: the leader of a
    visit may stand there). Linear in the text."""
    out: dict[str, int] = {}

    def add(surface: str | None) -> None:
        if surface:
            out[surface] = out.get(surface, 0) + 1

    for surface in visited_places(lead + text, len(lead)) if lead else visited_places(text):
        add(surface)

    top = min(len(text), DATELINE_CHARS)
    for surface in _guest_places(text, top):
        add(surface)
    for surface in _led_guest_places(text, top):
        add(surface)
    for surface in _abroad_org_places(text, top):
        add(surface)
    for at in _finds(text, "日", top):
        nxt = at + 2 if text[at + 1 : at + 2] == " " else at + 1
        c = text[nxt : nxt + 1]
        if c in NEWS_MARKS:  # `新华社北京3月14日电`, `中央社记者王扬宇台北26日电`, `永州2月23日讯`
            head = text[max(0, at - DATELINE_DATE_CHARS) : at].rstrip()
            if m := DATELINE_DATE_RE.search(head):
                add(_place_ending(head[: m.start()].rstrip()[-DATELINE_PLACE_CHARS:]))
        elif c in ("于", "於") and (m := DATELINE_AT_RE.match(text, nxt + 1, nxt + 2 + DATELINE_PLACE_CHARS + 2)):
            for h in _scan_places(m.group("place")):  # `中華民國111年1月30日于臺北市`
                add(h.surface)
    for at in _finds(text, "社", top):  # `新华社南京电`
        if text[max(0, at - 2) : at + 1] in AGENCIES and (
            m := AGENCY_DATELINE_RE.match(text, at + 1, at + 2 + DATELINE_PLACE_CHARS)
        ):
            add(_place_ending(m.group("place")))
    for venue, char in VENUES:
        k = venue.index(char)
        for at in _finds(text, char, top):
            if text.startswith(venue, at - k) and at - k > 0:
                add(_place_ending(text[max(0, at - k - DATELINE_PLACE_CHARS) : at - k]))
    return out


# How the mainland writes about Taiwan (`台湾同胞`, `台胞台企`, `台湾地区`, `台当局`, `对台工作`, `国台办`, `祖国大陆`): a page
# saying so is not Taiwan's own, however often its title names 台湾 (`国台办：…增进台湾同胞福祉的事` was 台湾省,
# session 47's fresh pages). Taiwan's own pages are found by their site or office (extract._own_sar) all the same.
MAINLAND_ON_TAIWAN = (
    "台湾同胞",
    "台胞",
    "台湾地区",
    "台当局",
    "对台",
    "涉台",
    "台办",
    "台湾事务办公室",
    "祖国大陆",
    "台湾问题",
)
MAINLAND_ON_TAIWAN_CHARS = 3000  # the body's opening these are looked for in, with the title and head
# Two of the markers are also read across other words: 对台 in `针对台南市政府…`, `面对台风`, `绝对台阶`, 台办 in
# `平台办理`, `舞台办`; there they say nothing about the mainland (a Taiwanese 市长's report, `針對台南市政府近半年來的施政
# 成果`, lost 台南市: session 54's fresh pages). `反对台独` keeps its 对台.
MAINLAND_ON_TAIWAN_RE = re.compile(
    "|".join(
        {"对台": "(?<![针面绝相应])对台", "台办": "(?<![平舞站柜讲])台办"}.get(w, re.escape(w))
        for w in MAINLAND_ON_TAIWAN
    )
)


def _mainland_on_taiwan(text: str) -> bool:
    return MAINLAND_ON_TAIWAN_RE.search(text) is not None


# A place followed by its own congress, committee or plenum (`土默特左旗第十八届人民代表大会第三次会议在…开幕`,
# `政协乌拉特中旗第十四届委员会第一次会议`) names the jurisdiction outright, as a title does: a county named so once in
# a news lead was left out of the pool as a passing mention (session 47's fresh pages).
OWN_MEETING_RE = re.compile(r"第[一二三四五六七八九十]{1,3}届(?:人民代表大会|委员会|党代会|代表大会)")


def _meeting_places(text: str) -> set[str]:
    """Surfaces of the places followed by their own congress or committee (OWN_MEETING_RE) in `text`."""
    out = set()
    for m in OWN_MEETING_RE.finditer(text, 0, DATELINE_CHARS):  # a lead or a report's subtitle names its meeting
        if place := _place_ending(text[max(0, m.start() - DATELINE_PLACE_CHARS) : m.start()]):
            out.add(place)
    return out


# A place's own organ right after its name (`锡盟安监局`, `宿迁市委`, `海安县人民政府`, `内蒙古自治区党委`): in a
# page's opening it says whose page it is. A bureau is a few characters ending in 局, but not 大局/格局/开新局.
OWN_ORGAN_RE = re.compile(
    r"(?:市|县|区|旗|盟|州|自治区|自治州)?(?:党委|委(?![托屈])|人民政府|政府|人大|政协|议会|[\u4e00-\u9fff]{0,2}[^\W大全格布结开当新变时骗饭赌]局)"
)
OWN_ORGAN_CHARS = 120  # the body's opening sentence or two, where the page says who acts (锡盟's at 46)


def _own_organ_at(text: str, end: int) -> bool:
    """Whether `text` names an organ of the place that ends at `end` right there (OWN_ORGAN_RE)."""
    return OWN_ORGAN_RE.match(text, end, end + 8) is not None


# A Taiwanese county's or city's head named by its name (`嘉義縣長翁章梁上任滿3周年`, `台南市長賴清德`): Taiwan's press writes
# the office so, and in the opening it says whose page it is as the county's own organ does (an untitled ntdtv item on
# 嘉義縣's head had no region: session 54's fresh pages). Not `…县长期`, `…市长远`.
OWN_HEAD_RE = re.compile(r"长(?![期远久效])")


LEVEL_OF_KIND = {
    "省": PROVINCE,
    "州": PREFECTURE,
    "市": PREFECTURE,
    "区": COUNTY,
    "县": COUNTY,
    "旗": COUNTY,
    "镇": TOWNSHIP,
    "园": COUNTY,  # a development zone (extract.ZONE_KIND): listed at county level under the city that runs it
}


# A county's root (海盐 of 海盐县) read where the document also names it in full counts as an alias does.
ROOT_WEIGHT = 0.6
# Taiwan's 连江县 is the Matsu islands, which pages call by their own names: 马祖 for the county, 南竿, 北竿 and 莒光 for
# its townships; the table has none of them (no Taiwanese townships), and Fujian's 连江县 on the mainland shares the
# county's name. Each mention supports Taiwan's county as a township of it would (session 58's fresh pages:
# `連江縣長王忠銘指出，馬祖要在兩岸三地之間找出定位` went to 福州市连江县). 马祖镇 (四川什邡) and 马祖道一 (a monk) are none.
ISLAND_NAMES_RE = re.compile(r"(?:马祖|南竿|北竿|莒光)(?!镇|道一)")
ISLAND_COUNTY_CODE = "710716"  # 台湾省连江县
COUNTY_MIN_MENTIONS = 2  # a county named once in the body only is usually a comparison (resolve_region's pool)
# ... unless it is the only place the page names and the office or counts ask for a county of its kind: a district's
# own news whose officers stand by bare office (`区委书记陈斌、区长马培翼组织召开全区重点项目建设工作推进会`) naming its
# district once in full (`湛河区智能装备产业园`) compares it with nothing (zhq.gov.cn had no region: session 55's pages).
LONE_COUNTY_KINDS = ("区", "县")
# A two-character county read once is as often two words (`县第十三次党代会和县两会精神` -> 和县): a lone county needs
# a longer name (test_extract_m9's unnamed county; integration of session 55).
LONE_COUNTY_MIN_CHARS = 3
COUNTY_ROOT_SUFFIXES = ("县", "区", "旗", "市")
COUNTY_ROOT_MIN_CHARS = 2  # 单县's 单 is no name


# A place the page names in full this often is its own against a short name the page never writes in full
# (_unsupported_alias): `中共黄陂区委`, `黄陂区人民政府`, `黄陂区旅游局` against `木兰` sixteen times.
FULL_NAME_MIN_MENTIONS = 2


def _unsupported_alias(
    dv: Division, names: list[str], named: dict[tuple[str | None, str], float], code_support: dict[str, float]
) -> bool:
    """Whether a county or city is read only from its short name (木兰 of 木兰县, 烟台 of 烟台市), which the page never
    writes in full, under no city or province of its own and over none of its townships: the short name may be a word's
    (木兰 is Hua Mulan's: `木兰文化节`, `木兰故里`; `木兰云雾山` a mountain; 烟台营子村 a village)."""
    return (
        dv.level in (COUNTY, PREFECTURE)
        and bool(names)
        and all(m != dv.name for m in names)
        and (dv.level == PREFECTURE or not named.get((dv.city, PREFECTURE)))  # a city's own name is no support
        and not named.get((dv.province, PROVINCE))
        and not code_support.get(dv.code or "")
    )


# An autonomous county's or banner's name before its peoples (围场满族蒙古族自治县 -> 围场, 环江毛南族自治县 -> 环江):
# the short form its own pages write (`我是一个土生土长的围场人`; the gazetteer has no alias for it, so a county named
# once in full and then so went below the two mentions a county needs: session 54's fresh pages).
# the peoples an autonomous county is named after (a regex alternation: backtracking takes 土家 where 土 is cut)
ETHNIC_NAMES = (
    "满|蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|拉祜|水|东乡|纳西|景颇|柯尔克孜|土|"
    "达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺"
)
AUTONOMOUS_ROOT_RE = re.compile(rf"^(?P<root>[\u4e00-\u9fff]{{2,4}}?)(?:(?:{ETHNIC_NAMES})族)+自治[县旗]$")


def _county_root(name: str) -> str | None:
    """The county's name without its suffix (海盐县 -> 海盐; 围场满族蒙古族自治县 -> 围场), or None where it would be one
    character."""
    if name.endswith(("自治县", "自治旗")) and (m := AUTONOMOUS_ROOT_RE.match(name)):
        return m.group("root")
    root = name[:-1] if name.endswith(COUNTY_ROOT_SUFFIXES) else None
    return root if root and len(root) >= COUNTY_ROOT_MIN_CHARS else None


@dataclass
class RegionResult:
    region: str | None
    region_code: str | None
    admin_level: str | None
    mentions: list[str]
    flags: dict[str, int]


# resolve_region's reading of a name's divisions, by gazetteer (id) and key: each division's score key (code, name,
# status), the division and its named province and city, built at the name's first hit instead of at every hit (a
# 20k-bench shard's 890 pages read ~68 divisions a page; the loop over them was ~6 % of extract's CPU, session 59).
_DIVISION_ENTRIES: dict[int, tuple[Gazetteer, dict[str, tuple[tuple[tuple, Division, tuple[str, ...]], ...]]]] = {}


def _division_entries(
    divisions: dict[str, tuple[tuple[tuple, Division, tuple[str, ...]], ...]], key: str, divs: Sequence[Division]
) -> tuple[tuple[tuple, Division, tuple[str, ...]], ...]:
    got = divisions[key] = tuple(
        ((dv.code, dv.name, dv.status), dv, tuple(a for a in (dv.province, dv.city) if a)) for dv in divs
    )
    return got


def resolve_region(
    title_text: str, head_text: str, body_text: str, kind_hint: str | None, body_at: tuple[str, int] | None = None
) -> RegionResult:
    """Pick the jurisdiction a speech is about.

    kind_hint is the jurisdiction kind read from the speaker's office or 全区/全县/全市 counts
    ('区', '县', '市', '省', '镇', 'national' or None). Evidence weights: title 5, head (byline,
    meeting line) 3, body 1; an alias counts 0.6 of a full name; parents/children mentioned and
    township names add support, which is how 邢台 (or 大梁庄乡) picks Hebei's Xingtai 桥东区.
    body_at = (text, i) says body_text is text[i : i + len(body_text)]: its places are then read from the scan of the
    whole text, which the mentions table reuses (same hits).
    """
    gz = load_gazetteer()
    held = _DIVISION_ENTRIES.get(id(gz))
    if held is None or held[0] is not gz:  # an id reused by another gazetteer (a test's) starts afresh
        held = _DIVISION_ENTRIES[id(gz)] = (gz, {})
    divisions = held[1]
    flags: dict[str, int] = {}
    if kind_hint == NATIONAL:
        return RegionResult(NATIONAL_REGION, NATIONAL_CODE, NATIONAL, [], flags)
    score: dict[tuple, float] = {}
    cand: dict[tuple, Division] = {}
    mentions: dict[tuple, list[str]] = {}
    strong: set[tuple] = set()  # named in the title or head
    own_organ: set[tuple] = set()  # named with its own organ in the title, head or opening (锡盟安监局)
    own_head: set[tuple] = set()  # named with its head's office in the title, head or opening (嘉義縣長翁章梁)
    code_support: dict[str, float] = {}
    name_support: dict[str, float] = {}
    town_score: dict[str, float] = {}  # township names (大梁庄乡, 海宴镇) by weight, for a township's own document
    for weight, part in ((5.0, title_text), (3.0, head_text), (1.0, body_text)):
        if not part:
            continue
        if part is body_text and body_at is not None:
            # names only are read here (key, surface, is_alias): no shifted copy of each hit
            hits = find_places_in(body_at[0], body_at[1], body_at[1] + len(part), positions=False)
        else:
            hits = find_places(part)
        lead = ""
        if part is body_text and body_at is not None:
            lead = body_at[0][max(0, body_at[1] - VISIT_LEADER_CHARS) : body_at[1]]
        skip = not_jurisdiction(part, lead)
        meeting_places = _meeting_places(part)
        # where a hit's own organ is read: the title and head whole, the body's opening
        src, organ_end = (body_at[0], body_at[1] + OWN_ORGAN_CHARS) if part is body_text and body_at else (part, 0)
        if part is not body_text:
            organ_end = len(part)
        elif body_at is None:
            organ_end = OWN_ORGAN_CHARS
        for h in hits:
            if skip and skip.get(h.surface):
                skip[h.surface] -= 1  # `新华社北京…电`, `于臺北市`, `北京人民大会堂`: where, not whose
                continue
            divs = gz.by_name.get(h.key, [])
            if not divs:
                continue
            w = weight * (0.6 if h.is_alias else 1.0) / len(divs)
            is_strong = weight > 1.0 or h.surface in meeting_places
            opening = h.start < organ_end
            organ = opening and _own_organ_at(src, h.end)
            for k, dv, ancestors in divisions.get(h.key) or _division_entries(divisions, h.key, divs):
                cand[k] = dv
                score[k] = score.get(k, 0.0) + w
                mentions.setdefault(k, []).append(h.surface)
                if is_strong:
                    strong.add(k)
                if organ:
                    own_organ.add(k)
                elif opening and dv.province == "台湾省" and OWN_HEAD_RE.match(src, h.end):
                    own_head.add(k)
                for anc in ancestors:
                    name_support[anc] = name_support.get(anc, 0.0) + w
        for _, t in find_towns(part):
            codes = gz.towns.get(t, [])
            town_score[t] = town_score.get(t, 0.0) + weight
            for c in codes:
                code_support[c] = code_support.get(c, 0.0) + weight / len(codes)
        if "马祖" in part or "竿" in part or "莒光" in part:
            for _ in ISLAND_NAMES_RE.finditer(part):
                code_support[ISLAND_COUNTY_CODE] = code_support.get(ISLAND_COUNTY_CODE, 0.0) + weight
    rooted: dict[tuple, int] = {}  # counties named in full, by how often their root is read besides
    for k in [k for k, dv in cand.items() if dv.level == COUNTY and dv.status == "current"]:
        # `海盐县全面融入…` once, then `海盐要明确产业定位` six times: jieba takes 海盐 (sea salt), 普定, 东源 for words, so
        # the root is no alias; named once in full, the county went below the two mentions a county needs (this
        # round's fresh pages). Where the document names the county in full, its root is the same place.
        full = cand[k].name
        root = _county_root(full)
        if (
            root is None
            or len(mentions[k]) >= COUNTY_MIN_MENTIONS  # named often enough already: its roots change nothing
            or full not in mentions[k]
            or ("~" + root) in gz.by_name
            or root in gz.by_name
        ):
            continue
        extra = sum(part.count(root) - part.count(full) for part in (title_text, head_text, body_text))
        if extra > 0:
            # repeated, the root makes the county one a document names twice (the pool's test), but it scores as
            # one alias mention only and is no region mention: a generic full name (`新城区` read in `新城建设`, `和平区`
            # in `和平`) must not outscore the place the document is about by repetition (the shared corpus's seed
            # 002, 陈仓区, went to 西安市新城区) nor list a common word as a place
            score[k] += ROOT_WEIGHT
            rooted[k] = extra
    # a Taiwanese county or city named anywhere (`澎湖日報…`), kept or not: a township named alone is then no mainland
    # one that happens to share its name (Taiwan's 白沙鄉 went to 贵州's 普安县白沙乡, session 54's fresh pages)
    taiwan_named = any(dv.province == "台湾省" and dv.level != PROVINCE for dv in cand.values())
    told = None
    for k in [k for k, dv in cand.items() if dv.province in OWN_DOCUMENT_ONLY]:
        if (k in strong or ((k in own_organ or k in own_head) and cand[k].level != PROVINCE)) and cand[
            k
        ].province == "台湾省":
            # a Taiwanese city or county named with its own organ in the opening (`台南市議會第4屆第6次定期會今天上午開幕`,
            # `嘉義縣政府`: an untitled udn item, session 53's fresh pages) is the page's own, as a headline's is
            if told is None:
                told = _mainland_on_taiwan(title_text + "\n" + head_text + "\n" + body_text[:MAINLAND_ON_TAIWAN_CHARS])
            if not told:
                continue
        elif k in strong:
            continue
        del cand[k]  # a body mention of 台湾/香港/澳门 is never the jurisdiction, nor Taiwan on a mainland page
        del score[k]
    if kind_hint == "镇" and town_score and (town := _township(gz, town_score, score, cand, not taiwan_named)):
        return RegionResult(*town, sorted({m for ms in mentions.values() for m in ms}), flags)

    def no_region(named: list[str]) -> RegionResult:
        """No division is the jurisdiction; the townships named may tell: `新虹街道组织召开了…` (named again and again:
        its own page) or a county's news naming its towns (`观摩团来到与儿街镇…`, `我县`) is the county's above them
        (this round's fresh pages had no region)."""
        if (
            kind_hint in TOWN_ONLY_KINDS
            and len(town_score) >= TOWNS_OF_ONE_COUNTY
            and (county := _towns_county(gz, town_score))
        ):
            return RegionResult(county.full_name, county.code, COUNTY, sorted(town_score), flags)
        if kind_hint in TOWN_ONLY_KINDS and town_score and (found := _town_county(gz, town_score, score, cand)):
            town, county = found
            whole = body_at[0] if body_at is not None else "\n".join((title_text, head_text, body_text))
            # a quoted name is a title or an honour (`多开展“首善街道”创建`), not the place
            named_town = sum(t == town and whole[i - 1 : i] not in QUOTE_OPENERS for i, t in find_towns(whole))
            if kind_hint is None and named_town >= TOWN_SELF_MENTIONS:
                return RegionResult(county.full_name + town, county.code, TOWNSHIP, [town], flags)
            if named_town >= (1 if kind_hint is None else TOWN_IN_COUNTY_SPEECH):
                return RegionResult(county.full_name, county.code, COUNTY, [town], flags)
        return RegionResult(None, None, None, named, flags)

    if not cand:
        return no_region([])
    # score_by_name of every (name, level) at once, each sum in score's order (the same floats): asked once per
    # candidate, the per-name scan was quadratic in a document's candidates (~7 % of fields' CPU on the 20k bench)
    named: dict[tuple[str | None, str], float] = {}
    for k, s in score.items():
        key = (cand[k].name, cand[k].level)
        named[key] = named.get(key, 0) + s
    total: dict[tuple, float] = {}
    for k, dv in cand.items():
        s = score[k]
        # Parents mentioned support a child; children/towns mentioned support their parent.
        if dv.level == COUNTY:
            s += 0.5 * (named.get((dv.city, PREFECTURE), 0) + named.get((dv.province, PROVINCE), 0))
            s += 0.7 * code_support.get(dv.code or "", 0.0)
        elif dv.level == PREFECTURE:
            s += 0.3 * named.get((dv.province, PROVINCE), 0) + 0.2 * name_support.get(dv.name, 0.0)
        elif dv.level == PROVINCE:
            s += 0.1 * name_support.get(dv.name, 0.0)
        total[k] = s
    wanted = kind_hint if kind_hint in LEVEL_OF_KIND else None
    if wanted == "市":
        # A 市长 speech is a prefecture's unless a county-level city clearly dominates (巢湖市 in 合肥's report).
        for k, dv in cand.items():
            if dv.level == COUNTY:
                total[k] = score[k] * 0.5

    def fits(dv: Division) -> bool:
        if wanted is None:
            return True
        kind = dv.suffix_kind
        if wanted == "市":
            # A 市长 runs a prefecture or a county-level city; a 直辖市 is province-level.
            return kind in ("市", "州") or dv.name.endswith("市")
        if wanted == "县":
            return kind == "县" or (dv.level == COUNTY and dv.name.endswith("市"))
        if wanted == "省":
            return dv.level == PROVINCE
        if wanted == "州":
            return dv.level == PREFECTURE and dv.name.endswith(("州", "盟", "地区"))
        if wanted == "旗":
            return dv.level == COUNTY and dv.name.endswith("旗")
        if wanted == "园":
            return dv.level in (PREFECTURE, COUNTY)  # a zone's page: the city that runs it or the county it lies in
        return kind == wanted

    # A county named once in the body only is usually a comparison (比追…厦门思明区), not the jurisdiction.
    pool = [
        k
        for k in total
        if fits(cand[k])
        and (
            cand[k].level != COUNTY
            or k in strong
            or len(mentions.get(k, [])) + rooted.get(k, 0) >= COUNTY_MIN_MENTIONS
            or code_support.get(cand[k].code or "", 0.0) > 0
            or wanted == "旗"  # a banner's page naming a banner (a long name no prose holds) names its own
        )
    ]
    if wanted == "区":
        # A 区长 may also head an autonomous region's government (自治区主席 is handled by 省) — only counties here.
        pool = [k for k in pool if cand[k].level == COUNTY]
    if not pool and wanted in LONE_COUNTY_KINDS and len({cand[k].name for k in total}) == 1:
        # the one place named, in full, of the kind asked for (LONE_COUNTY_KINDS)
        pool = [
            k
            for k in total
            if cand[k].level == COUNTY
            and fits(cand[k])
            and len(cand[k].name) >= LONE_COUNTY_MIN_CHARS
            and cand[k].name in mentions.get(k, [])
        ]
    if not pool:
        if wanted is None:
            pool = list(total)
        elif (
            wanted == "省"
            and len(provs := {cand[k].province for k in total}) == 1
            # a city of the province (昆明), not only a county's short name: `切合山东实际` reads 合山 (广西's 合山市)
            and any(cand[k].level == PREFECTURE for k in total)
            and (p := next((d for d in gz.by_name.get(next(iter(provs)) or "", []) if d.level == PROVINCE), None))
        ):
            # a province's own page names its cities only (`省委在昆明召开…会议`): the province they are all in
            return RegionResult(
                p.full_name, p.code, PROVINCE, sorted(set(reduce(operator.iadd, mentions.values(), []))), flags
            )
        else:
            return no_region(sorted(set(reduce(operator.iadd, mentions.values(), []))))
    # County aliases alone (陈仓) need repetition before they name the jurisdiction.
    best = max(pool, key=lambda k: (total[k], cand[k].status == "current", -len(k[1]), k[1], k[0] or ""))
    if _unsupported_alias(cand[best], mentions.get(best, []), named, code_support) and (
        in_full := [k for k in pool if mentions.get(k, []).count(cand[k].name) >= FULL_NAME_MIN_MENTIONS]
    ):
        # a short name inside other words (`木兰旅游文化节`, `木兰云雾山`, `花开木兰`: 木兰县 ×16) never written in full nor
        # under its city or province, on a page that names its own place in full (`中共黄陂区委`, `黄陂区人民政府`)
        best = max(in_full, key=lambda k: (total[k], cand[k].status == "current", -len(k[1]), k[1], k[0] or ""))
    if best not in own_organ and (
        inner := [
            k
            for k in own_organ
            if k in total
            and (cand[k].province == cand[best].name or cand[k].city == cand[best].name)
            and cand[k].name != cand[best].name
            and (wanted is None or fits(cand[k]))
        ]
    ):
        # the page's own organ is one of its places' (`锡盟安监局组织…学习` under 内蒙古自治区's words): the place
        # whose organ speaks, not the province or city its text names more
        best = max(inner, key=lambda k: (total[k], cand[k].status == "current", -len(k[1]), k[1], k[0] or ""))
    dv = cand[best]
    if kind_hint is None and dv.level in (PROVINCE, PREFECTURE) and town_score:
        # a township's own page naming only its city or province besides (`湖北宜昌…河口乡第十届人民代表大会…`, 河口乡
        # six times: 宜昌's 远安县 has one): the township, as no_region would have it without them
        found = _town_county(gz, town_score, score, cand)
        if found and dv.name in (found[1].city, found[1].province):
            whole = body_at[0] if body_at is not None else "\n".join((title_text, head_text, body_text))
            own, county = found
            if (
                sum(t == own and whole[i - 1 : i] not in QUOTE_OPENERS for i, t in find_towns(whole))
                >= TOWN_SELF_MENTIONS
            ):
                return RegionResult(county.full_name + own, county.code, TOWNSHIP, [own], flags)
    only_alias = all(m != dv.name for m in mentions.get(best, []))
    if dv.level == COUNTY and only_alias and len(mentions.get(best, [])) < 2:
        return no_region(sorted(set(reduce(operator.iadd, mentions.values(), []))))
    if dv.status == "renamed":
        flags["region_renamed"] = 1
    if dv.status == "nocode":
        flags["region_no_code"] = 1
    same = [k for k in pool if k != best and cand[k].name == dv.name and abs(total[k] - total[best]) < 1e-9]
    if same:
        flags["region_ambiguous"] = 1
        if sum(cand[k].province == "台湾省" for k in (best, *same)) != 1:
            # several divisions of this name and nothing on the page to tell them apart (`鼓楼区` of 南京, 徐州, 开封 and
            # 福州 went to the one whose code sorts last: session 58's fresh pages): no region, as with no name. A
            # Taiwanese twin kept in the pool is the page's own (its own organ or head named it: 金门县, 连江县).
            return no_region(sorted(set(reduce(operator.iadd, mentions.values(), []))))
    level = dv.level
    ev = [
        m
        for k in cand
        for m in mentions.get(k, [])
        if k == best or cand[k].name in (dv.province, dv.city) or (cand[k].city == dv.name)
    ]
    return RegionResult(dv.full_name, dv.code, level, sorted(set(ev)), flags)


# A page naming no division but townships (TOWN_ONLY_KINDS: a county's, a district's or an unknown kind) is the county's
# above the township named most; the township's own when its text names it this often (新虹街道's item: 4 times; a
# county's news naming the town it visited: once) and no office or count says the page is a county's.
TOWN_ONLY_KINDS = (None, "县", "区", "旗")
TOWN_SELF_MENTIONS = 3
# A county official's speech naming a township once cites it (`特别是酒泉路街道近日在全省率先…`: the shared corpus's seed
# 004, whose place its labeller could not tell): the town must be named this often to place such a speech.
TOWN_IN_COUNTY_SPEECH = 2
QUOTE_OPENERS = frozenset("“「『\"'《")


# A county's page naming several of its townships once each (`我县法院院长…到竹口镇、黄田镇调研`: 竹口镇 is 庆元县's
# only, 黄田镇 five counties', 庆元县 among them) is that county's: the one county that this many distinct townships
# share, when no other shares as many (城关镇 and 太平镇 share dozens: none).
TOWNS_OF_ONE_COUNTY = 2


def _towns_county(gz: Gazetteer, town_score: dict[str, float]) -> Division | None:
    """The one county at least TOWNS_OF_ONE_COUNTY of the named townships lie in, when no other has as many."""
    shared: dict[str, int] = {}
    for t in town_score:
        for c in set(gz.towns.get(t, [])):
            shared[c] = shared.get(c, 0) + 1
    if not shared:
        return None
    top = max(shared.values())
    best = [c for c, n in shared.items() if n == top]
    if top < TOWNS_OF_ONE_COUNTY or len(best) != 1:
        return None
    return gz.by_code.get(best[0])


def _town_county(
    gz: Gazetteer,
    town_score: dict[str, float],
    score: dict[tuple, float],
    cand: dict[tuple, Division],
    alone: bool = True,
) -> tuple[str, Division] | None:
    """The township named most and its county, when the document's other places (or, where `alone`, the township's
    name alone) tell which county; else None."""
    town = max(town_score, key=lambda t: (town_score[t], t))
    support: dict[str, float] = {}
    for c in gz.towns.get(town, []):
        d = gz.by_code.get(c)
        if d is None:
            continue
        support[c] = sum(s for k, s in score.items() if cand[k].code == c or cand[k].name in (d.city, d.province))
    if not support:
        return None
    top = max(support.values())
    if top == 0 and not alone:
        return None
    best = [c for c, v in support.items() if v == top]
    if len(best) != 1:
        return None
    return town, gz.by_code[best[0]]


def _township(
    gz: Gazetteer,
    town_score: dict[str, float],
    score: dict[tuple, float],
    cand: dict[tuple, Division],
    alone: bool = True,
) -> tuple[str, str | None, str] | None:
    """(region, code, level) of a township's own document (镇党委书记, 全镇 counts): the township named most, under
    the county the document's other places support (a township name several counties share needs one of them, or
    its city or province, named; else None). Its code is its county's (the table has no township codes). The pool
    of a 镇 kind held no township, so these documents had no region (`童市镇党委工作会`, `海宴镇委书记`: session 46)."""
    if (found := _town_county(gz, town_score, score, cand, alone)) is None:
        return None
    town, d = found
    return d.full_name + town, d.code, TOWNSHIP


def score_by_name(score: dict, cand: dict, name: str | None, level: str) -> float:
    if not name:
        return 0.0
    return sum(s for k, s in score.items() if cand[k].name == name and cand[k].level == level)


# What a government site's own host names (`xianggelila.gov.cn`: a page that names its city nowhere else, only `市委`
# and `全市`; `hedong.gov.cn`: which 河东区 its text's 临沂 then tells): the pinyin of a prefecture's or county's name
# without its suffix. Read only where that pinyin is one name's (linyi is 临沂市, 临邑县 and 临猗县: none).
SITE_SUFFIXES = ("自治县", "自治旗", "自治州", "地区", "林区", "特区", "市", "县", "区", "旗", "盟", "州")
SITE_LABEL_MIN_CHARS = 4  # `sc`, `gd`, `cq`: a province's initials are no name's pinyin


# A county government's site is often named by initials: its province's and its own (`gssn.gov.cn` 甘肃 肃南裕固族自治县,
# `ynmh.gov.cn` 云南 勐海县, `ahhy.gov.cn` 安徽 怀远县: this round's fresh pages named their place nowhere else). The
# province's short name before its suffix; an autonomous county's name before its peoples (肃南 of 肃南裕固族自治县).
INITIALS_MARK = "^"  # an initials key in site_names.tsv: read only for a county-level page (site_place)
PROVINCE_SUFFIX_RE = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
PEOPLES_SUFFIX_RE = re.compile(r"(?:[\u4e00-\u9fff]{1,5}?族)+自治[县旗州]")


def _initials_root(name: str) -> str:
    """The name a site's initials spell: an autonomous county's before its peoples, else before its suffix."""
    for i in range(2, min(len(name) - 3, 5)):
        if PEOPLES_SUFFIX_RE.fullmatch(name, i):
            return name[:i]
    return next((name[: -len(s)] for s in SITE_SUFFIXES if name.endswith(s) and len(name) - len(s) >= 2), "")


def build_site_names() -> dict[str, str | None]:
    """Pinyin of each prefecture's and county's name root -> that name, or None where roots of two names share it;
    and the initials of its province's short name and its own root (gs + sn -> 肃南裕固族自治县), likewise: what
    data/extract/site_names.tsv holds (`python -m tasks.extract_regions site-names` writes it; a test checks it
    against this). pypinyin's import and ~3,000 readings cost ~1.5 CPU-s, too much for a worker's first page."""
    from pypinyin import Style, lazy_pinyin

    def initials(s: str) -> str:
        return "".join(p[:1] for p in lazy_pinyin(s, style=Style.FIRST_LETTER))

    out: dict[str, str | None] = {}
    gz = load_gazetteer()
    for code in sorted(gz.by_code):
        d = gz.by_code[code]
        if d.level not in (PREFECTURE, COUNTY) or d.status != "current":
            continue
        root = next((d.name[: -len(s)] for s in SITE_SUFFIXES if d.name.endswith(s) and len(d.name) - len(s) >= 2), "")
        if not root:
            continue
        key = "".join(lazy_pinyin(root))
        out[key] = d.name if out.get(key, d.name) == d.name else None
    for code in sorted(gz.by_code):
        d = gz.by_code[code]
        if d.level not in (PREFECTURE, COUNTY) or d.status != "current" or not d.province:
            continue
        root = _initials_root(d.name)
        if not root:
            continue
        key = INITIALS_MARK + initials(PROVINCE_SUFFIX_RE.sub("", d.province)) + initials(root)
        out[key] = d.name if out.get(key, d.name) == d.name else None
    return out


def site_names_tsv(names: dict[str, str | None]) -> str:
    """The file's text: `pinyin<TAB>name` sorted by pinyin, `-` for a pinyin two names share."""
    return "".join(f"{k}\t{names[k] or '-'}\n" for k in sorted(names))


@lru_cache(maxsize=1)
def _site_names() -> dict[str, str | None]:
    """data/extract/site_names.tsv read once per process (~3,000 lines)."""
    path = DATA_DIR / "site_names.tsv"
    out: dict[str, str | None] = {}
    for line in path.read_text("utf-8").splitlines() if path.exists() else ():
        key, _, name = line.partition("\t")
        out[key] = None if name == "-" else name
    return out


def site_place(host: str, initials: bool = False) -> str | None:
    """The division name a `<pinyin>.gov.cn` host stands for (xianggelila.gov.cn -> 香格里拉市), if one name has it;
    with `initials`, also a host spelling its province's and its own initials (gssn.gov.cn -> 肃南裕固族自治县): only
    for a page whose office or counts say it is a county's, since a province's department sites spell theirs so too
    (gsjt.gov.cn, 甘肃 交通, would read as 景泰县)."""
    if not host.endswith(".gov.cn"):
        return None
    label = host[: -len(".gov.cn")].rsplit(".", 1)[-1]
    if len(label) < SITE_LABEL_MIN_CHARS or not label.isalpha():
        return None
    names = _site_names()
    return names.get(label) or (names.get(INITIALS_MARK + label) if initials else None)


# Taiwan's townships (鄉, 鎮 and the county-run 市) are not in the gazetteer: jionlp's table stops at the counties, and
# no table of them may be committed. A township's own page names it with its organ (`西屿乡公所`, `马公市公所`, `和美镇长`,
# `埔盐乡乡长`) TW_TOWN_MIN_MENTIONS times, and its county right before it (`彰化县鹿港镇公所`, `宜兰五结乡`) or as the
# one Taiwanese county it names most (`澎湖日报` on a 西屿乡 page): the township under that county (session 57's fresh
# pages: 6 of 10 township pages named their county; the other 4 stay without a region). Only counties (县) run
# townships; a name the mainland table knows as a township or county is never read so (`连江县潘渡镇镇长` is Fujian's).
TW_TOWN_MIN_MENTIONS = 2
TW_TOWN_RE = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2})(?P<kind>乡|镇|市|区)(?=(?P=kind)?(?:公所|长|民代表会))"
)  # `乡镇长`: none
# …or named with its organ once only, where the page names it TW_TOWN_MIN_NAMED times in all (`吉安鄉公所` and 吉安鄉 four times
# more) or right after its county (`屏東縣泰武鄉`, `泰武鄉長`) and names the county's head (县长) no more often than the
# township's: session 61's fresh pages (a 屏东县 township's page went to
# 山西's 武乡县, a 花莲县 one's to 江西's 吉安市).
TW_TOWN_MIN_NAMED = 3
TW_TOWN_ORGANS = ("公所", "长", "民代表会")


@lru_cache(maxsize=1)
def _tw_county_town_re() -> re.Pattern[str]:
    """A township (two or three characters, 乡/镇/市) right after a Taiwanese county's full name (`屏东县三地门乡`)."""
    names = "|".join(sorted((n for n, dv in _taiwan_counties().items() if n == dv.name), key=len, reverse=True))
    return re.compile(rf"(?P<county>{names})(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?P<kind>乡|镇|市)")


# A city's districts (区) the same way (`后里區公所`, `沙鹿區長`: 台中市's, session 58's fresh pages had none), under the one
# Taiwanese city (市: a special municipality or a provincial city) the page names: a district of a prefecture-level city
# is a county, one of a county-level city (基隆市, 新竹市, 嘉义市) a township.
TW_TOWN_NOT_NAME = frozenset("本该各全我其此这那每之的及在于为由对向从至到县区省乡镇市村里")  # `在本乡公所`, `全镇`
# …a district's name may end in 里 (后里, 大里, 万里: 台中 and 新北 districts); its first character is still no determiner
# Words before a head's office that say which head, not where (`代理區長`, `新任鄉長`, `卸任鎮長`): `南屯、北屯代理區長真除`
# gave a district 代理区 of 台中市 (session 59's fresh pages)
TW_HEAD_QUALIFIERS = frozenset(["代理", "新任", "前任", "卸任", "现任", "首任", "历任", "继任", "原任"])
DISTRICT_NOT_NAME_RE = re.compile(r"^[本该各全我其此这那每之的及在于为由对向从至到县区省乡镇市村里]|[县区省乡镇市村]$")


@lru_cache(maxsize=2)
def _taiwan_counties(suffix: str = "县") -> dict[str, Division]:
    """Taiwan's counties (县), or its cities (市), by full name and by name without the suffix (澎湖县, 澎湖)."""
    out: dict[str, Division] = {}
    for dv in load_gazetteer().by_code.values():
        if dv.province == "台湾省" and dv.level in (COUNTY, PREFECTURE) and dv.name.endswith(suffix):
            out[dv.name] = dv
            out[dv.name[:-1]] = dv
    return out


def _mainland_twin_named(twins: Sequence[Division], text: str) -> bool:
    """Whether `text` names the city or province (full or without its suffix) of one of `twins`, mainland divisions."""
    for dv in twins:
        for parent in (dv.city, dv.province):
            if parent and dv.province != "台湾省" and (parent in text or (len(parent) > 2 and parent[:-1] in text)):
                return True
    return False


def taiwan_township(text: str) -> tuple[str, str | None, str] | None:
    """(region, code, level) of a Taiwanese township's (or city district's) own page, its code its county's (city's);
    None unless the page names the township with its organ often enough and says which county it lies in."""
    if "公所" not in text and "乡长" not in text and "镇长" not in text and "区长" not in text:
        return None
    gz = load_gazetteer()
    counts: dict[str, int] = {}
    adjacent: dict[str, str] = {}
    counties = _taiwan_counties()
    matches = list(TW_TOWN_RE.finditer(text))
    for m in matches:
        name = m.group("name")
        person = text[m.start() - 1 : m.end() - 1]
        if (
            name in TW_HEAD_QUALIFIERS
            or (TW_TOWN_NOT_NAME.intersection(name) if m.group("kind") != "区" else DISTRICT_NOT_NAME_RE.search(name))
        ) or (person[:1] in surnames() and text.count(person) > text.count(person + m.group("kind"))):
            continue  # `全镇`, and a name before its office (`林庚壬镇长`, `林庚壬表示`: 庚壬 is no township)
        town = name + m.group("kind")
        counts[town] = counts.get(town, 0) + 1
        before = text[max(0, m.start() - 3) : m.start()]
        parents = _taiwan_counties("市") if m.group("kind") == "区" else counties
        for c in (before, before[1:]):  # `彰化县` or `宜兰` right before the township
            if c in parents:
                adjacent[town] = parents[c].name
    for m in _tw_county_town_re().finditer(text):
        # `屏東縣泰武鄉`, `屏東縣三地門鄉` (a three-character name): the township right after its county, once named with
        # its organ (`泰武鄉長`) counted as TW_TOWN_RE counts it
        town = m.group("name") + m.group("kind")
        if TW_TOWN_NOT_NAME.intersection(m.group("name")):
            continue
        adjacent.setdefault(town, counties[m.group("county")].name)
        if town not in counts and (n := sum(text.count(town + w) for w in TW_TOWN_ORGANS)):
            counts[town] = n
    for town in [t for t in counts if any(len(a) > len(t) and a.endswith(t) for a in adjacent)]:
        del counts[town]  # `地门乡长` read inside `三地门乡长`
    if not counts:
        return None
    top = max(counts.values())
    towns = [t for t, n in counts.items() if n == top]
    if len(towns) > 1:
        # one organ mention each (`吉安鄉公所`, and `今年鄉公所`, `開始游鄉長` read as townships): the one the page names
        # most, TW_TOWN_MIN_NAMED times at least
        most_named = sorted(((text.count(t), t) for t in towns), reverse=True)
        if most_named[0][0] >= TW_TOWN_MIN_NAMED and most_named[0][0] > most_named[1][0]:
            towns = [most_named[0][1]]
    if len(towns) != 1:
        return None
    town = towns[0]
    if top < TW_TOWN_MIN_MENTIONS and (
        (town not in adjacent and text.count(town) < TW_TOWN_MIN_NAMED)
        or text.count("县长") > text.count(town[-1] + "长")
    ):
        # named with its organ once: not where the county's head outnumbers the township's (`縣長徐榛蔚` at `光復鄉`'s
        # harvest festival is the county's item)
        return None
    if (town in gz.towns or gz.by_name.get(town[:-1])) and not (
        town in adjacent and len(gz.by_name.get(adjacent[town], ())) == 1
    ):
        # a mainland township or a county the table knows, unless the page names it right after its Taiwanese county
        # (`金門縣金沙鎮`: 金沙镇 is a mainland township's name too) and that county is Taiwan's alone (连江县 is not)
        return None
    if (twins := gz.by_name.get(town)) and not (town in adjacent and not _mainland_twin_named(twins, text)):
        # a city district the mainland table has under the same name (大安区 of 自贡, 泰山区 of 泰安) is Taiwan's only
        # where the page names it right after its Taiwanese city (`臺中市大安區公所`, `新北泰山區公所`) and never names
        # the mainland twin's city or province: both went to the mainland twin (session 59's fresh pages)
        return None
    if town[-1] == "区":
        counties = _taiwan_counties("市")  # a district lies in a city
    county = adjacent.get(town)
    if county is None:
        named: dict[str, int] = {}
        for key, dv in counties.items():
            if key == dv.name:
                continue  # counted by its short name, which the full name holds
            if n := text.count(key):
                named[dv.name] = named.get(dv.name, 0) + n
        if not named:
            return None
        most = max(named.values())
        best = [c for c, n in named.items() if n == most]
        if len(best) != 1:
            return None
        county = best[0]
    dv = counties[county]
    return dv.full_name + town, dv.code, (COUNTY if dv.level == PREFECTURE else TOWNSHIP)


def lookup(name: str) -> list[Division]:
    """Divisions with this full name (used to turn dev-set labels into codes)."""
    return list(load_gazetteer().by_name.get(name, []))


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["site-names"]:
        sys.stdout.write(site_names_tsv(build_site_names()))
