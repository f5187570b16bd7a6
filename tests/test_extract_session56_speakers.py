"""Speakers a careful reader finds and the extractor missed or misread (session 56's fresh pages, fourteenth round)."""

from __future__ import annotations

import pytest

from tasks.extract import extract_fields
from tasks.normalize import normalize_text


def _fields(raw: str) -> dict:
    n = normalize_text(raw)
    return extract_fields(n.text, raw_text=raw, removed_lines=n.removed_lines)


# ---------------------------------------------------------------- runs that read as names and are none


def test_mailbox_link_under_the_office_is_no_byline():
    # a hospital site's `院长信箱` link above the head's New Year address: chrome, not 院长 信箱
    raw = (
        "今天是\n院长信箱\n当前位置: 主页 > 新闻资讯 > 医院新闻\n院长新春致辞\n时间:2015-02-16 16:16   作者:网站管理员   点击:\n"
        "    新年伊始，万象更新。在这辞旧迎新的时刻，我谨代表医院领导班子向全院广大职工及家属致以新年的祝福！\n"
        "    过去的一年是我们医院发展史上极不平凡的一年，全院干部职工齐心协力、克艰攻难，出色的完成了医院全年各项工作任务。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == (None, "院长")


@pytest.mark.parametrize("connective", ["接着", "最后", "随后"])
def test_connective_and_surname_before_the_office_is_no_name(connective):
    # `接着徐董事长还对…`: the clause's connective and the chairman's surname, never a name
    raw = (
        "近日，公司召开年度总结表彰会议。会议首先对2020年度做出突出贡献的部门进行了表彰。\n"
        "最后，徐董事长作总结讲话。徐董事长在总结2020年工作时强调，过去一年是极其不平凡的一年。"
        f"{connective}徐董事长还对工作的不足和需要改进的地方进行了总结，并明确了2021年目标任务。\n"
    )
    assert _fields(raw)["speaker_name"] is None


def test_verb_particle_after_a_surname_like_character_is_no_name():
    # `最后徐董事长明确了…`: 明 is a surname, 明确了 a verb and its particle
    raw = (
        "近日，公司召开年度总结表彰会议。会议首先对2020年度做出突出贡献的部门进行了表彰。\n"
        "徐董事长作总结讲话，从五个方面总结了2020年公司的各项成绩，最后徐董事长明确了2021年目标任务。\n"
    )
    assert _fields(raw)["speaker_name"] != "明确了"


def test_guest_list_holding_a_name_before_its_last_office_is_no_office():
    # `…孙某某及…局领导、…董事长张某某、总经理杨某某等有关领导出席会议`: one run over several guests; the head who reported
    # is the speaker, not the list's last-but-one guest with the whole run for an office
    raw = (
        "2010年12月8日，无锡蔬菜果品行业协会第三届会员大会在无锡朝阳股份公司召开。市工商联主席孙志文及市民政局领导、"
        "江苏省蔬菜协会会长无锡朝阳集团董事长张海明、总经理杨兴文等有关领导出席会议。\n"
        "执行会长汪海东作了二届协会工作报告，周介平副会长作了2010年度财务收支情况报告，两项报告经全体会员一致通过。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("汪海东", "执行会长")


# ---------------------------------------------------------------- news leads read as news, and whom they are about


def test_hour_before_the_bracketed_date_and_the_chair_of_a_silent_guest_list():
    # `今天下午（12月26日），…会议召开`: a news lead; nobody speaks, the one who presided is whom it is about
    raw = (
        "今天下午（12月26日），市第十八届人民代表大会第五次会议代表中的中共党员会议召开。市委书记林青山、市委副书记、"
        "市长叶浩然，市人大常委会主任蔡梅林、市委副书记林乃东出席会议，会议由蔡梅林主持。\n"
        "会议成立临时党总支，各代表团成立临时党支部。会议要求，代表中的中共党员要切实提高政治站位。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert f["speaker_name"] == "蔡梅林"
    assert f["speaker_title"] in ("人大常委会主任", "市人大常委会主任")


def test_leaders_visiting_the_delegates_and_the_listed_leader_who_speaks_keeps_his_office():
    # `亲切看望各位代表`: whom the leaders visited, not the lead addressing anyone; the listed leader who speaks is given
    # his office after the list (`市委书记许某首先代表…`)
    raw = (
        "滁州网讯1月5日上午，出席市七届人大一次会议的代表陆续抵滁报到。市领导许继文、吴劲松、王图强等来到代表住地，"
        "亲切看望各位代表。\n"
        "市委书记许继文首先代表市几大班子向代表们表示诚挚问候。他说，过去的一年，全市经济社会发展继续保持强劲势头。\n"
        "许继文表示，今年是党的二十大召开之年，做好今年各项工作意义重大。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("许继文", "市委书记")


def test_day_word_glued_to_the_acting_officer_in_a_firms_own_item():
    # `昨日董事长孟某主持召开了…会议，`: the item says 我们 of the firm after the report, no speech's opening
    raw = (
        "昨日董事长孟庆华主持召开了2022年度目标会议，会上对2022年的目标进行了讲解，也对目前公司所面临的形势进行了分析。"
        "这次会议既是总结我们的工作成绩，也直面存在问题的工作会，更是开启新征程的动员会。\n"
    )
    f = _fields(raw)
    assert f["doc_type"] == "新闻报道"
    assert (f["speaker_name"], f["speaker_title"]) == ("孟庆华", "董事长")


# ---------------------------------------------------------------- a headline's actor by surname and office


def test_headline_actor_by_surname_and_office_over_the_leads_chair():
    raw = (
        "澎湖縣王縣長參加中興國小畢業典禮\n"
        "澎湖縣中興國小第53屆畢業典禮於17日晚間在文化局演藝廳舉行，身為資深校友的縣長王建發受邀參加，頒發縣長獎。\n"
        "典禮由校長許進來主持，王縣長、立法委員林炳坤等多位貴賓均到場共同分享同學畢業的喜悅。\n"
        "王縣長於致詞時表示，自己是50年前自中興國小畢業的校友，畢業多年回到母校，愈發感到人要懂得感恩與惜福。\n"
        "校長許進來稱許應屆畢業生的優異表現，也叮嚀所有的同學繼續追逐屬於自己的夢想。\n"
    )
    f = _fields(raw)
    assert (f["speaker_name"], f["speaker_title"]) == ("王建发", "县长")


def test_headline_surname_actor_needs_the_body_to_report_him_speaking():
    # the headline's 王縣長 only attended; the lead's chair, who speaks, stays the speaker
    raw = (
        "澎湖縣王縣長參加中興國小畢業典禮\n"
        "澎湖縣中興國小第53屆畢業典禮於17日晚間在文化局演藝廳舉行，身為資深校友的縣長王建發受邀參加，頒發縣長獎。\n"
        "典禮由校長許進來主持。校長許進來表示，畢業生在校期間為校史寫下璀璨及輝煌的一頁。\n"
    )
    assert _fields(raw)["speaker_name"] == "许进来"


# ---------------------------------------------------------------- the address's own kind with the verb


def test_listed_leader_giving_the_welcome_address_is_the_speaker():
    # `杨某致欢迎辞表示，`: the welcome address named with the verb (`致歡迎辭表示`, `在致歡迎詞時候表示`)
    raw = (
        "3月2日上午，某某商会成立大会在某酒店隆重举行。市领导杨正华、李同道出席大会。\n"
        "会议宣读了批准成立商会的文件，选举产生了第一届理事会。\n"
        "杨正华致欢迎辞表示，商会的成立是全市民营经济发展中的一件大事，希望商会发挥桥梁纽带作用。\n"
        "李同道在致辞中希望商会团结会员、服务会员。\n"
    )
    f = _fields(raw)
    assert f["speaker_name"] == "杨正华"
