"""Province / prefecture / county columns from a document's `region_code` and `admin_level`.

Pure: reads the division table `extract_regions.load_gazetteer()` already loads. National rows (the convention
region `全国`, code `100000`, admin_level `national`) get `province = None` and `province_code = NATIONAL_CODE`, so
`where province_code = '100000'` selects them and `group by province` keeps them apart from unknown regions (all
null). Codes the table no longer lists (renamed divisions) are placed by their GB/T 2260 prefix.
"""

from __future__ import annotations

from tasks import extract_regions as regions

NATIONAL_CODE = "100000"  # the extract stage's code for 全国 (not a GB/T 2260 division)
COLUMNS = ("province", "province_code", "prefecture", "prefecture_code", "county", "county_code")


def _name(code: str) -> str | None:
    d = regions.load_gazetteer().by_code.get(code)
    return d.name if d else None


def jurisdiction(region_code: str | None, admin_level: str | None) -> dict[str, str | None]:
    """The six jurisdiction columns of one document (all null when the region is unknown)."""
    out: dict[str, str | None] = dict.fromkeys(COLUMNS)
    if admin_level == regions.NATIONAL or region_code == NATIONAL_CODE:
        out["province_code"] = NATIONAL_CODE
        return out
    code = (region_code or "").strip()
    if len(code) != 6 or not code.isdigit():
        return out
    prov = code[:2] + "0000"
    out["province_code"], out["province"] = prov, _name(prov)
    if code[2:] == "0000":
        return out
    pref = code[:4] + "00"
    # the table lists no prefecture above the districts of 北京/天津/上海/重庆 (110100 …) or above county-level
    # cities under a province (429004 仙桃市 -> 429000): those stay null
    if pref_name := _name(pref):
        out["prefecture_code"], out["prefecture"] = pref, pref_name
    if code[4:] != "00":
        out["county_code"], out["county"] = code, _name(code)
    return out
