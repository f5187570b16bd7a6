"""Doc-sharing and 范文 sites' pages as read by hand (held-out real pages, session 45): each test is a short
synthetic snippet of one class of page seen there, through normalize and extract as the pipeline runs them."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks.extract import extract_fields
from tasks.normalize import normalize_text

SPEECH = (
    "这次会议的主要任务是总结去年工作，部署今年任务。下面，我讲三点意见。\n"
    "一是提高认识。各级各部门要充分认识做好今年工作的重要意义，切实增强责任感和紧迫感。\n"
    "二是突出重点。要抓住关键环节，集中力量解决突出问题，确保各项任务落到实处。\n"
)


def read(page: str) -> tuple[dict, object]:
    n = normalize_text(page)
    return extract_fields(n.text, raw_text=page, removed_lines=n.removed_lines), n


# ---------------------------------------------------------------------------- a doc site's head run into the text


@pytest.mark.parametrize("stamp", ["201X/X/XX", "20XX/XX/XX", "20XX/X/X"])
def test_template_stamp_splits_a_doc_sites_head(stamp):
    """777doc: `编号：N` + the site's summary (office + title) + an unfilled date stamp + the document's own title,
    byline and date, all on one line with the salutation."""
    page = (
        f"编号:136929198县委常委、县政府负责人全县2018年秋冬季创森工作会议上的主持词{stamp}"
        "全县2018年秋冬季创森工作会议上的主持词县委常委、县政府负责人xxx(二○一八年十二月二十九日)同志们:"
        + SPEECH.replace("\n", "")
    )
    f, n = read(page)
    assert f["title"] == "全县2018年秋冬季创森工作会议上的主持词"
    assert f["meeting"] == "全县2018年秋冬季创森工作会议"
    assert f["delivered_on"] == dt.date(2018, 12, 29)
    assert stamp not in n.text and "编号" not in n.text
    assert "这次会议的主要任务" in n.text


def test_template_stamp_with_office_summary_gives_the_office():
    page = "编号:541193579镇长在全镇安全生产工作会议上的讲话20XX/XX/XX在全镇安全生产工作会议上的讲话同志们:" + SPEECH
    f, _ = read(page)
    assert (f["title"], f["speaker_title"], f["meeting"]) == (
        "在全镇安全生产工作会议上的讲话",
        "镇长",
        "全镇安全生产工作会议",
    )


def test_a_real_date_is_no_template_stamp():
    n = normalize_text("在全镇安全生产工作会议上的讲话\n2018/12/29\n同志们：\n" + SPEECH)
    assert "2018/12/29" not in [line for _, line, rule in n.removed_lines if rule == "chrome.download_notice"]


def test_title_repeated_and_glued_to_the_first_sentence():
    """6dgww: the title line, then the title again (an office before it) run into the first sentence, no salutation."""
    page = (
        "在全市招商引资督查观摩总结交流会上的讲话\n"
        "市长在全市招商引资督查观摩总结交流会上的讲话这次招商引资督查观摩活动，目的是在全市上下进一步掀起招商引资新高潮。"
        + SPEECH
    )
    f, n = read(page)
    assert f["speaker_title"] == "市长"
    assert f["meeting"] == "全市招商引资督查观摩总结交流会"
    assert f["title"].endswith("在全市招商引资督查观摩总结交流会上的讲话")
    assert "\n这次招商引资督查观摩活动，目的是" in n.text


def test_a_sentence_naming_the_title_is_not_split():
    page = (
        "在全市招商引资工作会议上的讲话\n同志们：\n在全市招商引资工作会议上的讲话精神要认真贯彻落实，各地要抓紧行动。\n"
        + SPEECH
    )
    n = normalize_text(page)
    assert "在全市招商引资工作会议上的讲话精神要认真贯彻落实" in n.text


# ---------------------------------------------------------------------------- previews cut by the site


def test_preview_notice_without_only_sets_truncated():
    n = normalize_text("同志们：\n" + SPEECH + "（未完，全文共2010字，当前显示249字）\n（请认真阅读下面的提示信息）\n")
    assert n.flags.get("truncated")
    assert "未完" not in n.text


def test_length_stamp_over_a_preview():
    """wmjy: `【文章共1471字，…】` under a preview of ~200 characters: chrome, and the text was cut."""
    n = normalize_text(
        "尊敬的各位领导：\n" + SPEECH + "【文章共1471字，精选参考范文，仅供学习借鉴】\n手机扫码阅读本文\n"
    )
    assert n.flags.get("truncated")
    assert "文章共" not in n.text


def test_length_stamp_under_the_whole_text_is_chrome_only():
    n = normalize_text("尊敬的各位领导：\n" + SPEECH + "【文章共120字，精选参考范文，仅供学习借鉴】\n")
    assert not n.flags.get("truncated")
    assert "文章共" not in n.text


def test_ellipsis_above_a_login_prompt():
    n = normalize_text(
        "尊敬的各位领导：\n" + SPEECH + "祝大家节日快乐，身体健康，合家幸福，万事如...\n请先登录\n\n>\n\n相关推荐\n"
    )
    assert n.flags.get("truncated")


def test_ellipsis_without_a_prompt_is_no_cut():
    n = normalize_text("尊敬的各位领导：\n" + SPEECH + "我们有信心，有能力，有决心……\n")
    assert not n.flags.get("truncated")


# ---------------------------------------------------------------------------- the site speaking of itself


@pytest.mark.parametrize(
    "intro",
    [
        "发达国家的发展历程表明，工业发展至关重要。下面就是小编给大家整理的，仅供参考。",
        "比赛中的紧张氛围能够让我们更加充实。以上是小编为大家准备的比赛总结范文，希望对大家的写作有所帮助。",
        "离别总是最伤感，那么欢送领导时怎么发言？下面小编为你整理了几篇欢送领导发言词范文，希望对你有帮助。",
        "演讲稿，是在较为隆重的仪式上发表的讲话文稿。下面是范文网小编整理的校庆演讲稿11篇，供大家赏析。",
        "致辞，指用文字或语言向人表达思想感情。以下是学习啦整理了2016市长新年致辞范文3篇，供你参考。",
        "主持会议的开场白怎么写？下面我们范文网发言稿频道给大家精编的14篇关于主持会议的开场白，希望对大家有所帮助，内容仅供参考！",
    ],
)
def test_site_intro_in_its_own_name(intro):
    n = normalize_text("在全县工作会议上的讲话\n" + intro + "\n同志们：\n" + SPEECH)
    assert intro[:8] not in n.text
    assert [r for _, _, r in n.removed_lines] == ["chrome.intro"]


@pytest.mark.parametrize(
    "line",
    [
        "下面是我为大家准备的几点体会，仅供参考。",
        "以下是我们整理的几条意见，希望对大家有所启发。",
        "下面，我把市委的要求给大家分享一下，供大家参考。",
    ],
)
def test_a_speaker_sharing_is_no_site_intro(line):
    n = normalize_text("同志们：\n" + SPEECH + line + "\n")
    assert line in n.text


@pytest.mark.parametrize(
    "line,rule",
    [
        ("跳至主要内容", "chrome.toolbar"),
        ("跳至內容的開始", "chrome.toolbar"),  # cmab.gov.hk
        ("跳到主要內容區塊", "chrome.toolbar"),  # Taiwanese portals
        ("Skip to main content", "chrome.toolbar"),
        ("首页 热点资讯 义务教育 高等教育 出国留学 考研考公", "chrome.breadcrumb"),
        ("首页范文稿件发言稿", "chrome.breadcrumb"),
        ("您身边的文档专家，晒文网欢迎您！", "chrome.toolbar"),
        ("维基文库，自由的图书馆", "chrome.toolbar"),
        ("九九范文帮", "chrome.toolbar"),
        ("返回", "chrome.toolbar"),
        ("论文部分内容阅读", "chrome.toolbar"),
    ],
)
def test_site_header_lines(line, rule):
    page = line + "\n校长在学校周年庆典上的致辞\n尊敬的各位来宾：\n" + SPEECH
    n = normalize_text(page)
    assert (line, rule) in [(x, r) for _, x, r in n.removed_lines]
    assert extract_fields(n.text, raw_text=page, removed_lines=n.removed_lines)["title"] == "校长在学校周年庆典上的致辞"


# ---------------------------------------------------------------------------- titles


def test_series_links_are_not_the_title():
    """wikisource's header: the title, the previous work run into it, byline, date, the next work."""
    page = (
        "中华民国第七任总统就职演说\n第六任总统就职演说 中华民国第七任总统就职演说\n总统 蒋经国\n1984年5月20日\n"
        "第八任总统就职演说\n领袖的声音\n亲爱的全国同胞们、诸位贵宾：\n" + SPEECH
    )
    f, _ = read(page)
    assert f["title"] == "中华民国第七任总统就职演说"
    assert f["delivered_on"] == dt.date(1984, 5, 20)


def test_series_next_link_after_the_repeated_title():
    page = (
        "中华民国第八任总统就职演说\n第七任总统就职演说 开创中华民族的新时代\n中华民国第八任总统就职演说\n总统李登辉\n"
        "1990年5月20日\n第九任总统就职演说\n亲爱的全国同胞、各位贵宾：\n" + SPEECH
    )
    assert read(page)[0]["title"] == "中华民国第八任总统就职演说"


def test_two_titles_differing_otherwise_keep_the_last():
    page = "县长在全县工作会议上的讲话\n在全县2024年经济工作会议上的讲话\n同志们：\n" + SPEECH
    assert read(page)[0]["title"] == "在全县2024年经济工作会议上的讲话"


def test_slogan_over_a_greeting_subtitle_under_a_nav_heading():
    page = (
        "领导活动\n平凡孕育不凡 奋斗创造未来\n——2026年元旦献词\n中共常州市委书记  王剑锋\n常州市人民政府市长  周伟\n"
        "新岁启程，万象更新。在这辞旧迎新的美好时刻，我们谨代表市委、市人大、市政府、市政协，向全市人民致以新年的祝福！\n"
        + SPEECH
    )
    f, _ = read(page)
    assert f["title"] == "平凡孕育不凡 奋斗创造未来——2026年元旦献词"
    assert f["doc_type"] == "致辞"


def test_greeting_subtitle_run_into_the_text():
    page = (
        "稿源：天津市滨海新区人大\n逐光而进共赴新程——代2026年新年献词2026年的第一缕曙光，正温柔地洒向渤海之滨这片土地。"
        "亲爱的滨城人，新年好！\n" + SPEECH
    )
    f, n = read(page)
    assert f["title"] == "逐光而进共赴新程——代2026年新年献词"
    assert f["doc_type"] == "致辞"
    assert "\n2026年的第一缕曙光" in n.text


def test_greeting_title_in_spaced_letters_under_its_banner():
    page = (
        "新\n年\n快\n乐\n元 旦 献 词\n区委副书记、代理区长 李泽龙\n(2021年12月31日)\n市民们、同志们、朋友们:\n"
        "日月其迈，岁律更新。在这辞旧迎新的美好时刻，我谨代表区人民政府，向全区人民致以新年的祝福！\n" + SPEECH
    )
    f, _ = read(page)
    assert (f["title"], f["doc_type"], f["speaker_name"]) == ("元旦献词", "致辞", "李泽龙")


# ---------------------------------------------------------------------------- kinds


def test_opening_remarks_are_the_chairs():
    f, _ = read("主持会议的开场白（14篇）\n" + SPEECH)
    assert f["doc_type"] == "主持词"


def test_greeting_introduced_by_its_lead():
    page = (
        "新年前夕，国家主席习近平通过中央广播电视总台和互联网，发表了二〇二四年新年贺词。全文如下：\n"
        "大家好！冬至阳生，岁回律转。在这辞旧迎新的美好时刻，我在北京向大家致以新年的祝福！\n" + SPEECH
    )
    assert read(page)[0]["doc_type"] == "致辞"


def test_untitled_acceptance_of_an_election():
    page = (
        "主任、副主任、各位代表：非常感谢大家对我的信任，选举我做辽宁省人民政府的省长。我深知这个选举的分量。\n"
        + SPEECH
    )
    assert read(page)[0]["doc_type"] == "讲话"


def test_untitled_acceptance_of_an_honour():
    page = (
        "再次站在这个熟悉的台上，我的双手微微颤抖。今天，聚光灯再次打在身上，因为这份荣誉不再只属于我一个人。\n"
        + SPEECH
    )
    assert read(page)[0]["doc_type"] == "发言"


def test_a_titled_speech_keeps_its_titles_kind():
    page = "在全县表彰大会上的讲话\n同志们：\n今天获此殊荣的同志们，是全县干部学习的榜样。\n" + SPEECH
    assert read(page)[0]["doc_type"] == "讲话"


# ---------------------------------------------------------------------------- a forum's repost


def test_discuz_post_head_and_book_ads_over_a_repost():
    page = (
        "《文稿，还能这样写》作者雄文《笔杆子碎语》作者王一端《机关文稿写作入门》作者杨新宇《机关文字工作五十讲》作者何新国\n"
        "最新《公文写作培训课程》直播间《公文写作百法例讲》作者房立洲老秘网站长、《老秘笔记》作者老猫《公文高手的自我修养》作者胡森林\n"
        "在东莞市办公室系统2010年迎春团拜会上的致辞\n[复制链接]\n"
        "指尖阳光 发表于 2015-6-21 15:18:43 | 显示全部楼层 |阅读模式 打印 上一主题 下一主题\n"
        "在东莞市办公室系统2010年迎春团拜会上的致辞\n尊敬的各位领导，同志们：\n" + SPEECH
    )
    f, n = read(page)
    for chrome in ("作者雄文", "作者胡森林", "复制链接", "发表于", "显示全部楼层", "上一主题"):
        assert chrome not in n.text
    assert f["title"] == "在东莞市办公室系统2010年迎春团拜会上的致辞"
    assert f["published_on"] == dt.date(2015, 6, 21)


def test_a_sentence_listing_books_stays():
    line = "要认真学习《论持久战》《矛盾论》《实践论》《反对本本主义》等著作，读原著、学原文、悟原理。"
    n = normalize_text("同志们：\n" + SPEECH + line + "\n")
    assert line in n.text


# ---------------------------------------------------------------------------- page heads, session 46
# (news, e-paper, portal and wikisource pages from the search tool's store: each line below was left in the text or
# taken as the page's title)


@pytest.mark.parametrize(
    "line,rule",
    [
        ("• 中國臺灣網移動版", "chrome.toolbar"),  # a site's mobile-edition link
        ("中国台湾网移动版", "chrome.toolbar"),
        ("• 人民网", "chrome.toolbar"),  # a bulleted site name
        ("• 用戶登錄投稿", "chrome.toolbar"),
        ('• <ul id="wsmey"></ul>', "chrome.toolbar"),  # HTML tags left as text
        ("ad9_210*60", "chrome.toolbar"),  # an ad slot's name
        ("語言", "chrome.toolbar"),  # a language picker
        ("???", "chrome.toolbar"),
        ("德育素材网 首页", "chrome.toolbar"),  # the site's home link
        ("本作品收錄於《東方雜誌", "chrome.toolbar"),  # wikisource's collection note
        ("跳转到内容", "chrome.toolbar"),
        ("【 第1页 第2页 第3页 第4页 第5页 第6页 第7页 第8页 第9页 第10页 】", "chrome.page_counter"),
        ("中國作家網>> 2013年全國兩會 >> 正文", "chrome.breadcrumb"),  # steps with digits, ending at the article
        ("http://www.CRNTT.com", "chrome.source"),  # a bare address
        ("http://taihexuan.com 2013年03月04日11:10", "chrome.published_at"),
        ("中國評論通訊社20週年慶典（中評社 陳思遠攝）|", "chrome.photo_caption"),  # a credit in brackets
        ("3月7日出席新书发表会暨感恩餐会的部分嘉宾合影。(中评社 黄筱筠摄)", "chrome.photo_caption"),
        ("7月5日，研讨会在上海举行。图为两市市长出席开幕式。中新社发 潘索菲 摄", "chrome.photo_caption"),
        # the classes session 45's held-out pages left in the text
        ("标签：政府工作报告 讲话 致辞", "chrome.related"),
        ("展开全部内容", "chrome.toolbar"),
        ("手机扫码阅读本文", "chrome.toolbar"),
        ("+A-", "chrome.toolbar"),
        ("A+ A-", "chrome.toolbar"),
        ("十一月 2024 |", "chrome.toolbar"),
        ("第02版：02", "chrome.toolbar"),
        (
            "本網站使用相關技術提供更好的閱讀體驗，同時尊重使用者隱私，點這裡了解中央社隱私聲明。當您關閉此視窗，代表您同意上述規範。",
            "chrome.disclaimer",
        ),
    ],
)
def test_page_head_leftovers_are_chrome(line, rule):
    page = line + "\n校长在学校周年庆典上的致辞\n尊敬的各位来宾：\n" + SPEECH
    n = normalize_text(page)
    assert (line, rule) in [(x, r) for _, x, r in n.removed_lines]
    assert extract_fields(n.text, raw_text=page, removed_lines=n.removed_lines)["title"] == "校长在学校周年庆典上的致辞"


@pytest.mark.parametrize(
    "line",
    [
        "• 加强基层组织建设，推进城乡社区网格化管理。",  # a bulleted sentence
        "我们要建设好人民满意的政府网。",
        "他说：“请各位在会后浏览http://www.gov.cn了解详情。”",
        "（一）坚持人民至上",
        "我们要加强个人信息保护，尊重用户隐私，完善隐私政策。",
        "全面落实A级景区创建+A计划。",
        "标签化管理要因地制宜。",
    ],
)
def test_speech_lines_like_head_leftovers_stay(line):
    n = normalize_text("同志们：\n" + line + "\n" + SPEECH)
    assert line.replace(" ", "") in n.text.replace(" ", "").replace(",", "，")


def test_broadcasters_tag_and_counters_over_the_headline():
    """news.now.com: like/share counters `0` / `0`, the headline twice, `【Now新聞台】` opening the lead."""
    page = (
        "0\n0\n林鄭:香港真正踏上一國兩制正確軌道\n\n林鄭:香港真正踏上一國兩制正確軌道\n\n"
        "【Now新聞台】行政長官林鄭月娥於國慶酒會致辭時指,香港真正踏上一國兩制正確軌道。\n" + SPEECH
    )
    f, n = read(page)
    assert "Now" not in n.text and not n.text.startswith("0")
    assert n.text.split("\n")[1].startswith("行政长官林郑月娥于国庆酒会致辞时指")
    assert f["title"].replace(":", "：") == "林郑：香港真正踏上一国两制正确轨道"


def test_a_bracketed_heading_opening_a_paragraph_stays():
    n = normalize_text("同志们：\n【坚持人民至上】我们要始终把人民放在心中最高位置。\n" + SPEECH)
    assert "【坚持人民至上】" in n.text


@pytest.mark.parametrize(
    "date_line,day",
    [
        ("中華民國7年(1918年)11月28日", dt.date(1918, 11, 28)),  # a ROC date with the Western year in brackets
        ("中華民國82年(1993年)1月22日于臺北市", dt.date(1993, 1, 22)),  # and the place after it
        ("1918年11月28日于北京故宮太和殿", dt.date(1918, 11, 28)),
    ],
)
def test_wikisource_dates_with_the_roc_year_or_a_place(date_line, day):
    page = "中華民國大總統在慶賀協約國勝利大會之演說\n中華民國大總統 徐世昌\n" + date_line + "\n各位同胞：\n" + SPEECH
    assert read(page)[0]["delivered_on"] == day


def test_a_news_date_with_a_place_after_it_in_a_sentence_is_no_dateline():
    page = "全市经济工作会议召开\n2019年9月26日于市委礼堂召开全市经济工作会议，部署明年工作。\n同志们：\n" + SPEECH
    assert read(page)[0]["delivered_on"] is None


def test_a_sites_address_run_on_after_the_title():
    page = (
        "|\n|\n全国政协十届五次会议开幕http://www.sina.com.cn\n2007年03月04日09:17 大洋网-广州日报\n同志们：\n" + SPEECH
    )
    assert read(page)[0]["title"] == "全国政协十届五次会议开幕"


def test_a_page_list_under_a_breadcrumb_it_was_joined_with_is_no_title():
    """crntt: the breadcrumb line ends in a bracket the page list's line closes; normalize removes both as one."""
    page = (
        "您的位置:首页 ->> 政魁解剖 】 【打 印\n【 第1页 第2页 第3页 第4页 第5页 】 \n中评社与绿营专家聚会 黄辉珍感言\n\n"
        "http://www.CRNTT.com   2013-03-08 01:29:21  \n" + SPEECH
    )
    f, _ = read(page)
    assert f["title"] == "中评社与绿营专家聚会 黄辉珍感言"
    assert f["published_on"] == dt.date(2013, 3, 8)


def test_an_excerpt_note_and_a_cut_after_a_sentence_end_set_truncated():
    """hkej's print page: `(節錄)全文共2198字` under a shown part; fanwenq: `…愿望。...` over `请先登录`."""
    _, n = read("初心易得 始終難守\n" + SPEECH + "部分美國總統的公開發言 ...\n(節錄)全文共2198字\n")
    assert n.flags.get("truncated") == 1 and "2198" not in n.text
    _, n = read(
        "县委书记在创建文明县城动员大会上的讲话\n同志们：\n" + SPEECH + "这是全县人民的共同愿望。...\n请先登录\n"
    )
    assert n.flags.get("truncated") == 1


def test_a_headline_run_into_its_wire_dateline_on_one_line():
    """A 侧记 copy joined into one line: the headline, a space, `新华社北京3月3日电（记者…）` and the lead."""
    lead = "3日下午2点多，北京一个大杂院里，68岁的老人讲起自己的心愿。此时，5公里外，2000多名政协委员汇聚人民大会堂。"
    page = (
        "在全面深化改革新征程上汇聚力量——全国政协十二届二次会议开幕会侧记 新华社北京3月3日电（新华社记者 熊争艳）"
        + lead
    )
    assert read(page + "\n")[0]["title"] == "在全面深化改革新征程上汇聚力量——全国政协十二届二次会议开幕会侧记"
    # a lead's sentence before a dateline is no headline
    page = "会议强调，要全面深化改革。代表们认为报告实事求是 新华社北京3月3日电（新华社记者 熊争艳）" + lead
    assert read(page + "\n")[0]["title"] != "会议强调，要全面深化改革。代表们认为报告实事求是"


def test_a_labelled_stamp_with_a_two_digit_year():
    """kf.hns93.gov.cn: `来源:原创  时间:15-02-11 09:43  责任编辑:…` under a 侧记's headline."""
    page = "踏着前进的春风——市政协大会发言侧记\n\n来源:原创  时间:15-02-11 09:43  责任编辑:jskfsw\n同志们：\n" + SPEECH
    assert read(page)[0]["published_on"] == dt.date(2015, 2, 11)
    # a score or a ratio in the text is no stamp
    page = "踏着前进的春风——市政协大会发言侧记\n同志们：\n比分是15-02-11，时间过得很快。\n" + SPEECH
    assert read(page)[0]["published_on"] is None
