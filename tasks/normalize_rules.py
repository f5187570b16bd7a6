"""Rule tables of the normalize stage: what page chrome, damage and spinning look like.

Patterns are written against a line *key*: the line in Simplified script (char-level OpenCC map), full-width
ASCII folded to ASCII, all whitespace removed. So one pattern serves `發布時間:` and `发布时间：` alike.
Every rule has a name; removed lines carry it into `removed_lines.rule`, and the extract stage reads
`chrome.published_at` / `chrome.source` / `frontmatter.title` from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks import vocab

HAN = vocab.HAN
COLON = r"[:：]"

# --------------------------------------------------------------------------- character references
# A named or numeric reference (`&ldquo;`, `&#20013;`, `&copy`) left in a page's text: a page escaped twice
# (`&amp;ldquo;`, common in CMS exports), a crawler that stripped tags but not references, a .txt copy of a page's
# source (the shared corpus: 昆明 2005's `6.5&permil;`). Names are HTML5's (up to 32 characters: the longest is 31);
# numbers are at most 8 digits (U+10FFFF is 7 hex, 1114111 decimal): a longer run is no reference.
ENTITY = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9A-Fa-f]{1,8};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
# The same named reference with its `;` (one no browser knows stays in the text: its `;` is no Chinese semicolon).
ENTITY_NAMED = r"&[A-Za-z][A-Za-z0-9]{1,31};"

# --------------------------------------------------------------------------- whole-line chrome (on keys)
# (rule name, pattern matched with re.match against the key). Order matters: first match wins.
# 范文 sites' stamps, each a line of its own as published (a clock then the site or a view count, a price, a toolbar):
# a head joined a few lines at a time is not broken at such a line's date (normalize._head_breaks), its rule takes it
STAMP_WITH_TRAILER = (
    r"[^，。！？；,]{0,10}?\d{4}-\d{1,2}-\d{1,2}\d{1,2}:\d{2}(?::\d{2})?[^，。！？；,]{0,16}$"
    r"|\d{4}-\d{1,2}-\d{1,2}(?:[\d.]+元.{0,8}|(?:下载|复制|收藏).{0,12})$"
)
LINE_RULES: list[tuple[str, str]] = [
    # 您的当前位置:首页正文 / 当前位置：首页>要闻 / 当前页面:首页 (a county portal's, session 49's fresh pages)
    (
        "chrome.breadcrumb",
        # (`您当前的位置：首页 > 领导讲话`: a county portal's, with 的 after 当前; session 50 left it as the text's first
        # line and, where the title was lost, as the title)
        r"(?:(?:您|你)的?)?当前的?(?:位置|页面|栏目)" + COLON + r"|(?:您|你)的位置" + COLON + r"|首页[>›»/]",
    ),
    # 范文 sites: `您现在的位置是：首页 > 政经部门 > 营商`, `位置：首页 > 范文 > 工作报告`, `东方文库 > 致辞稿 > 开幕致辞 > …`
    # (a path of 3+ steps joined by '>': no speech line is one)
    (
        "chrome.breadcrumb",
        r"(?:您|你)(?:现在|目前)?(?:所在)?的位置(?:是)?" + COLON + r"|位置" + COLON + r"首页"
        # (a path whose last step ends in its mark, `学习啦>实用范文>致辞讲话>会议发言稿>`: session 51's fresh pages)
        r"|[^，。、；：:>＞\d]{2,12}(?:[>＞][^，。、；>＞]{1,40}){2,6}[>＞]?$",
    ),
    # a news portal's head (held-out gov/news pages, k3: each was the page's title): a breadcrumb of `>>`/`»` steps,
    # two or more (`海外网>>时政`, `中国共产党新闻网>>高层动态`, `当前位置是：首页 >> 政府 >> 市政府领导`); the channel bar
    # that opens with 首页, its words run together or spaced (`首页 国际 港澳台 华人 中国 社会 …`; Han only, 10+);
    # an e-paper's page list, a page a line (`01版：要 闻`, `02版：权威发布`). Steps hold no digit or bracket: markdown
    # quotes joined into one line (`> 西安市人民政府 > 2026年3月3日 > （此件公开发布）`) are no path
    (
        "chrome.breadcrumb",
        r"(?:您|你)?当前位置(?:是|为)"
        + COLON
        + r"|(?=.{0,120}$)[^，。！？；>\d（）()]{2,30}(?:(?:>>|»|＞＞)[^，。！？；>\d（）()]{1,30}){1,6}>*$"
        rf"|(?=.{{12,300}}$)首页[{HAN}A-Za-z·]{{10,}}$|\d{{1,2}}版" + COLON + r"[^，。！？；]{1,12}$",
    ),
    # a government site's disclosure table, its cells joined by `|`: `索 引 号：| … | 主 题 词：| 政务公开 |`,
    # `文 号：| 发布机构：| 沂水县某镇 | 发布日期：| 2021-02-27 |`; its title row `标 题：| 某镇2021年政府工作报告 |` or
    # `文件名称 | 某区2025年政府工作报告 | ||` is the page's title (extract reads it as one)
    ("chrome.table_title", r"(?:标题|文件名称|信息名称)" + COLON + r"?\|.{2,80}$"),
    (
        "chrome.info_table",
        r"(?:索引号|文号|发布机构|公开目录|公开方式|公开形式|主题词|主题分类|有效性|成文日期|公开日期|发布日期|浏览次数"
        r"|公开责任部门|所属机构|生成日期)" + COLON + r"?\|",
    ),
    # 发布时间:2021-03-25 / 發布時間:2021-03-25 來源:… / 发表于2019-01-29 15:57:43|只看该作者|倒序浏览
    ("chrome.published_at", r"(?:发布|发表|更新|录入|上传|创建|添加)(?:时间|日期|于)" + COLON + r"?"),
    # 时间：2026-02-09 / 时间:2022-05-16 08:36:00 / 日期：2026-02-02
    ("chrome.published_at", r"(?:时间|日期)" + COLON + r"(?:\d{4}[-/.年]\d{1,2}|$)"),
    # 2021-02-06来源:布克知识网 / 2026-02-03 09:02:33 / 2026年02月10日07时41分
    # (an e-paper's `( 2023-03-15 ) 稿件来源：新华每日电讯`, a table cell's `2009-04-30 |`: held-out news pages, k3)
    ("chrome.published_at", r"[（(]?\d{4}-\d{1,2}-\d{1,2}(?:\d{1,2}:\d{2}(?::\d{2})?)?[）)]?\|?(?:(?:稿件)?来源|$)"),
    ("chrome.published_at", r"\d{4}年\d{1,2}月\d{1,2}日\d{1,2}时\d{1,2}分(?:\d{1,2}秒)?$"),
    # a month-day stamp left alone when a head joined with ` | ` is broken at its bars (`03-15 | 移动端：…`)
    ("chrome.published_at", r"\d{1,2}-\d{1,2}$"),
    # 范文 sites' stamps: `2024-10-28 09:19:49 某素材网` / `2025-11-08 07:03:52 99` (a clock, then the site or a view count),
    # `2026-03-18 10.00元 免费试读` (a price), `2024-11-26下载文档一键复制全文` (a toolbar)
    ("chrome.published_at", r"(?:" + STAMP_WITH_TRAILER + r")"),
    # `General 更新 2024年04月19日`: a site's update stamp (a speech's sentence never ends on one)
    ("chrome.published_at", r"[A-Za-z]{0,12}(?:更新|发布|发表)于?\d{4}[-年]\d{1,2}[-月]\d{1,2}日?$"),
    # a site's running clock, the day the page was read, not published: a date, a clock and a weekday on a line of its
    # own (`2018/12/28 上午9:27:28 星期五` above a 2016 page's head, taken as its title: session 59's fresh pages).
    # Not a stamp: extract never reads a page's date from it (an e-paper's date with its weekday alone, no clock,
    # stays the stamp it is)
    (
        "chrome.clock",
        r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?P<wd1>(?:星期|周)[一二三四五六日天])?(?:上午|下午|早上|晚上|凌晨|中午)?"
        r"\d{1,2}:\d{2}(?::\d{2})?(?(wd1)|(?:星期|周)[一二三四五六日天])$",
    ),
    # CNA's stamp, slashes and a clock, with its update note (`2017/10/10 11:31（10/10 17:20 更新）`)
    ("chrome.published_at", r"\d{4}/\d{1,2}/\d{1,2}\d{1,2}:\d{2}(?:[（(]\d{1,2}/\d{1,2}\d{1,2}:\d{2}更新[）)])?$"),
    # people.com.cn: `2024年03月13日06:52 | 来源：人民网－人民日报` (a clock time: a speech's dateline never gives one)
    ("chrome.published_at", r"\d{4}年\d{1,2}月\d{1,2}日\d{1,2}:\d{2}(?::\d{2})?\|?(?:来源|$)"),
    # gov.cn's document info table, one row a line as the HTML extractor gives it: `| 索 引 号： | 000014349/2024-00005 |
    # 主题分类： | …|`, `| 发文机关： | 国务院办公厅 | 成文日期： | 2024年01月11日 |`, `| 发文字号： | 国办发〔2024〕1号 | …`
    # (a table row that opens with one of the table's keys: never speech)
    (
        "chrome.info_table",
        r"\|(?:索引号|主题分类|发文机关|成文日期|标题|发文字号|发布日期|主题词|文号|发布机构)" + COLON + r"\|",
    ),
    # 来源：解放日报 / （来源：青海日报） / 来源:
    ("chrome.source", r"[（(]?(?:文章|信息|稿件|新闻|本稿|本文)?来源" + COLON),
    # print and wire citations that close a page: （《人民日报》19540924第1至2版） / （新华社北京2026年3月13日电） /
    # （绍兴市人民政府网站）
    (
        "chrome.source",
        r"[（(]《[^》]{1,12}》\d{4}[-.年]?\d{1,2}[-.月]?\d{1,2}日?第?[\d一二三四五六七八九十至、-]{1,8}版[）)]$",
    ),
    ("chrome.source", r"[（(]新华社[^）)]{0,24}电[）)]$"),
    # a wire dateline on a line of its own above the speech: `新华社北京3月12日电`, `人民网北京3月5日电（记者 …）`
    (
        "chrome.source",
        rf"(?:新华社|人民网|中新社|中新网|央视网|新华网)[{HAN}]{{0,8}}\d{{1,2}}月\d{{1,2}}日电(?:[（(][^）)]{{0,24}}[）)])?$",
    ),
    ("chrome.source", r"[（(][^）)]{2,16}(?:政府网站|门户网站|网站)[）)]$"),
    # 点击: / 阅读量： / 浏览次数：123
    ("chrome.clicks", r"(?:点击|阅读|浏览|访问)(?:量|数|次数|率)?" + COLON + r"\d*$"),
    # a doc site's counters on one line (`字数:5031 字 浏览:236次 下载:1次`, wydbw; `页数：30 大小：1.2MB`): two or more
    # counters and nothing else; its page and view counts run together under a preview (`4 页 999+`, gongwen.com.cn)
    # (session 51's fresh doc-site pages: both were left as text)
    (
        "chrome.clicks",
        r"(?:(?:字数|页数|浏览|阅读|下载|点击|收藏|评论|大小|热度)(?:量|数|次数)?"
        + COLON
        + r"[\d.]+(?:字|次|页|人次|[KM]B?)?){2,}$"
        r"|\d{1,4}页\d{1,6}\+$",
    ),
    # a 范文 site's labels and buttons over the text (`内容预览：`, mswk; `正文复制`, dawenge), a Word shape's name left in
    # the text (`Shape2`), info.gov.hk's bar (`简体版 寄给朋友 政府主网页`), a collection's item label alone (`篇1`)
    (
        "chrome.toolbar",
        r"(?:内容|文档|全文)?预览"
        + COLON
        + r"?$|(?:正文|全文)?(?:一键)?复制(?:全文|正文)?$|(?:Shape|Picture|TextBox)\d{1,4}$"
        r"|(?:简体版|繁体版|寄给朋友|政府主网页|列印本页|打印本页){2,}$|篇\d{1,2}$",
    ),
    # a writing tool's ad over a 范文 site's text, a sentence and its button (`公文高手,超级方便的公文写作神器! 立即了解`):
    # short, an exclamation before the button, no full stop
    (
        "chrome.watermark",
        r"(?=.{4,50}$)[^。；]{2,40}[！!](?:立即了解|立即下载|立即体验|立即使用|免费试用|马上体验|立即咨询)$",
    ),
    # a 范文 site's footer naming the text's column and summary (`…讲话》所在栏目:优质范文 > 内容摘要:《…》格式模板,仅供
    # 写作参考`, sanweiyuan): the site introducing its page in its own voice (an intro's rule: the summary quotes the
    # speech's `同志们：`), as long as the paragraph it closes
    ("chrome.intro", r".{0,80}?所在栏目" + COLON + r".{0,60}?(?:内容摘要|仅供)"),
    # a wire story's byline alone on its line: `新华社记者`, `本报记者` (held-out 侧记 pages, k3: taken as the title)
    ("chrome.editor", r"(?:新华社|人民日报|中新社|本报|本台|本网|央视)(?:全媒体)?记者$"),
    # 编辑：何继红 / 责任编辑：…
    ("chrome.editor", r"[（(]?(?:责任编辑|编辑|责编|审核|校对|作者)" + COLON + r".{0,12}[）)]?$"),
    # 导语:…一文来源于网友上传,不代表本站观点,若需要原创文章可咨询客服老师,欢迎参考。
    ("chrome.disclaimer", r".{0,120}(?:不代表本站观点|版权归原作者|版权归属用户|仅供参考学习|如有侵权请联系)"),
    # 温馨提示: / 网站客服:3074922707
    ("chrome.download_notice", r"(?:温馨提示|网站客服|客服热线|下载提示|特别提示)" + COLON),
    # doc88 / wenku: `上传人：gov2024 | 上传时间：… | 格式：DOC | 页数：30`, `下载文档到电脑，查找使用更方便`
    ("chrome.download_notice", r"(?:上传人|上传者|文档贡献者|贡献者)" + COLON + r"|下载文档到电脑|下载本文档"),
    # 第8页 共8页 / 共8页
    ("chrome.page_counter", r"(?:第\d+页)?共\d+页$|第\d+页$"),
    # a PDF's page number between dashes: - 12 - / —12— / -12-
    ("chrome.page_counter", r"[-－—–]{1,2}\d{1,4}[-－—–]{1,2}$"),
    # a news portal's top bar: `登录|注册|收藏首页|简体|繁体`, `央视网|中国网络电视台|网站地图 |`, `客服设为首页 |` (short
    # cells between bars, one a bar word), or one bar word alone (`用户登录`); a city switch `• 全国 [切换]`
    (
        "chrome.toolbar",
        r"(?=.{0,80}$)(?=.*\|)(?:[^，。！？；|]{0,16}\|)*[^，。！？；|]{0,16}"
        r"(?:登录|注册|网站地图|设为首页|加入收藏|收藏本站|无障碍|繁体|简体|English)[^，。！？；|]{0,16}(?:\|[^，。！？；|]{0,16})*$"
        r"|(?:用户登录|会员登录|登录注册|网站地图|设为首页|加入收藏|收藏本站|无障碍浏览|English)$"
        r"|[-*•·]?[^，。！？；]{1,12}\[切换\]$",
    ),
    # 【字号：加大 还原 减小】 / 【字体：大 中 小】 / 下载 打印 全屏 收藏
    (
        "chrome.toolbar",
        r"【?(?:字号|字体)" + COLON + r"(?:加大|还原|减小|超大|特大|大|中|小|默认|标准|打印|关闭|纠错|[】|])*$",
    ),
    # people.com.cn's `小字号` / `大字号` switch
    ("chrome.toolbar", r"[大中小]字号$"),
    ("chrome.toolbar", r"(?:下载|打印|全屏|收藏|关闭|打印本页|关闭窗口|返回顶部|【|】|\|){2,}$"),
    # the same bar cut into pieces by a page joined a few lines at a time: 收藏【字号：加大 / 还原减小】
    ("chrome.toolbar", r"(?:下载|打印|全屏|收藏)+【?(?:字号|字体)" + COLON + r"(?:加大|还原|减小|默认|】)*$"),
    ("chrome.toolbar", r"(?:加大|还原|减小|默认){2,}】?$"),
    # 今日: 434|昨日: 633|帖子: 2189450|会员: 163392|欢迎新会员: LY333
    ("chrome.forum", r"今日" + COLON + r"\d+\|?昨日" + COLON),
    ("chrome.forum", r".{0,40}(?:只看该作者|倒序浏览|回帖双倍积分|快速回帖|使用道具|举报$|在线时间\d+小时)"),
    ("chrome.forum", r"(?:楼主|沙发|板凳|地板|点评回复举报|回复举报|点评|\d+楼)$"),
    # Discuz's post head once its clock is cut (held-out 老秘网 copies, session 45): `[复制链接]` / `指尖阳光 发表于` /
    # `显示全部楼层 |阅读模式 打印 上一主题 下一主题`; the forum's book ads over it, three or more `《书名》作者某` in a row
    # (`《文稿，还能这样写》作者雄文《笔杆子碎语》作者王一端…`)
    (
        "chrome.forum",
        r"\[复制链接\]$|[^\s，。]{1,20}?发表于[\d\-/: ]{0,20}(?:\|.{0,60})?$|.{0,20}显示全部楼层|.{0,20}阅读模式.{0,12}上一主题"
        r"|.{0,30}?(?:《[^》]{2,24}》作者[^《]{1,12}){3,}$",
    ),
    ("chrome.forum", r"\d+主题\d+帖子\d+积分|.{0,20}积分\d+.{0,4}距离下一等级"),
    # a thread's counters: `查看: 2525|回复: 0`
    ("chrome.forum", r"查看" + COLON + r"\d+\|回复" + COLON + r"\d+$"),
    # Discuz's notices above a post to a guest, and the edit stamp alone on its line: `马上注册，结交更多好友，享用更多功能，
    # 让你轻松玩转…`, `您需要 登录 才可以下载或查看，没有账号？会员注册`, `本帖最后由 某某 于 2015-4-13 00:37 编辑`
    # (a held-out forum page, g1, took the first as its title)
    (
        "chrome.forum",
        r"马上注册[，,]\s*结交更多好友.{0,40}$|您需要\s*登录\s*才可以(?:下载或查看|查看|下载|回帖).{0,30}$",
    ),
    ("chrome.forum", r"本帖最后由\s*\S{1,30}\s*于\s*[\d\-/: ]{8,20}\s*编辑$"),
    # 分享到: / 分享： / 扫一扫在手机打开当前页 / 分享到微信 / 微信,手机扫一扫
    ("chrome.share", r"分享(?:到|至)?(?:微信|微博|朋友圈|QQ)?" + COLON + r"?$"),
    # a mobile page's share bar: 分享到：微信 微博 QQ空间
    (
        "chrome.share",
        r"分享(?:到|至)?"
        + COLON
        + r"?(?:微信|新浪微博|腾讯微博|微博|QQ空间|QQ好友|QQ|朋友圈|豆瓣|人人网|复制链接|更多|、)+$",
    ),
    ("chrome.share", r"(?:扫一扫在手机打开当前页|微信,?手机扫一扫|用手机扫描二维码|手机扫一扫|扫一扫关注$)"),
    # 相关报道： / 相关文档： / 相关热词搜索:区政府 区长 / 热点文章阅读 / 上一篇：
    (
        "chrome.related",
        r"(?:相关(?:报道|文档|文章|阅读|链接|新闻|推荐)|延伸阅读|推荐阅读|热点文章阅读|热门文章)" + COLON + r"?$",
    ),
    ("chrome.related", r"相关热词搜索" + COLON),
    # an attachment list the page links to: `- 2026年政府工作报告.pdf`, `- 2024政府工作报告名词解释.docx`
    ("chrome.related", r"[-*•·]?.{1,80}\.(?i:pdf|docx?|xlsx?|wps|zip|rar|pptx?)$"),
    ("chrome.related", r"(?:上一篇|下一篇)" + COLON),
    # 》》点击图片进入专题《《 / 相关附件>>
    ("chrome.related", r"[》>]*点击(?:图片|这里|此处)?进入专题[《<]*$|相关附件[>》]*$"),
    # 关闭窗口 / 返回顶部 / 打印本页
    ("chrome.toolbar", r"(?:关闭窗口|返回顶部|打印本页|【关闭】|\[关闭\]|×)$"),
    # `快捷搜索：论文 合同 演讲 心得` / `10-28 | 移动端：` (a mobile link cut from the headline it stood before)
    (
        "chrome.toolbar",
        r"(?:快捷搜索|热门搜索|热搜)" + COLON + r".{0,30}$|(?:\d{1,2}-\d{1,2}\|?)?移动端" + COLON + r"$",
    ),
    # a 范文 site's document number glued before its title: `编号：541193579`
    ("chrome.download_notice", r"编号" + COLON + r"\d{5,}$"),
    # the template's unfilled date stamp, alone on its line once the head is broken around it: `201X/X/XX`
    ("chrome.download_notice", r"20[\dX]X/X{1,2}/X{1,2}$"),
    # the page's label for the text's title: `文章标题：…讲话` under the title, `本文标题：…` in the share block
    # (新文秘网 closes its preview with `收藏《在全市领导干部大会上的讲话》）`)
    ("chrome.labelled_title", r"(?:本文|文章)标题" + COLON + r".{2,80}$|收藏《[^》]{2,60}》[）)]?$"),
    # a site's header date with its weekday, `2023年03月29日 星期三`: the day the page was viewed, not published
    ("chrome.toolbar", r"\d{4}年\d{1,2}月\d{1,2}日(?:星期|周)[一二三四五六日天]$"),
    # a page's own header and navigation, read as the title when left (held-out pages, session 45): a skip link
    # (`跳至主要内容`: info.gov.hk), a nav bar of short words (`首页 热点资讯 义务教育 高等教育 出国留学 考研考公`), a
    # breadcrumb that lost its marks (`首页范文稿件发言稿`), a site's greeting or name (`您身边的文档专家，晒文网欢迎您！`,
    # `维基文库，自由的图书馆`, `九九范文帮`), a reader's buttons (`返回`, `关灯`, `开启左侧`), a paper site's label
    # (`论文部分内容阅读`)
    (
        "chrome.toolbar",
        # (cmab.gov.hk's `跳至內容的開始`, Taiwanese portals' `跳到主要內容區塊`: session 49's fresh pages)
        r"(?:跳至|跳到|跳转至|跳转到|跳过|略过)(?:主要|主)?(?:内容|内文)(?:区块|区域|区|的开始|开始)?$|跳过导航[栏列]?$"
        r"|(?i:skip\s*to\s*(?:the\s*)?(?:main\s*)?content)$|(?:返回|关灯|开灯|开启左侧|关闭左侧)$",
    ),
    # a page head's leftovers no speech line is (pages from the search tool's store, session 46; each was the title): a
    # site's mobile-edition link, bulleted or not (`• 中國臺灣網移動版`), a bulleted site name (`• 人民网`), HTML tags
    # left as text (`• <ul id="wsmey"></ul>`), an ad slot's name (`ad9_210*60`), a language picker (`語言`, `???`),
    # the site's home link (`德育素材网 首页`)
    (
        "chrome.toolbar",
        r"[•·]?[^，。！？；•·]{2,16}(?:移动版|手机版|触屏版|电脑版)$|[•·][^，。！？；•·]{2,10}(?:网|报|台|社|投稿|登录|注册)$"
        # (a key has no `*`: `ad9_210*60` is read as `ad9_21060`)
        r"|[•·]?(?:</?[A-Za-z][^<>]{0,80}>)+$|(?i:ad)[A-Za-z\d]{0,12}_\d{2,4}[*x×]?\d{2,4}$|(?:语言|Language|[?？]{3,})$"
        r"|[^，。！？；]{2,10}(?:网|站)首页$",
    ),
    # a line that is a bare address, or the site's address before the page's clock (`http://www.CRNTT.com 2013-03-08
    # 01:29:21` split, `http://taihexuan.com 2013年03月04日11:10`): no speech line is one
    (
        "chrome.published_at",
        r"https?://[A-Za-z0-9./_-]+?(?:\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2})(?:\d{1,2}:\d{2}(?::\d{2})?)?$",
    ),
    ("chrome.source", r"https?://[A-Za-z0-9./_?=&%-]+$"),
    # the classes session 45's held-out pages left in the text: a tag line (`标签：政府工作报告 讲话`), a read-more
    # button (`展开全部内容`), a scan-to-read note (`手机扫码阅读本文`), a font-size bar of letters (`+A-`, `A+ A-`), a
    # month-year page date (`十一月 2024 |`), an e-paper's page (`第02版：02`)
    ("chrome.related", r"(?:标签|TAGS?|Tags?)" + COLON + r"[^，。！？；]{0,60}$"),
    (
        "chrome.toolbar",
        r"(?:点击)?展开(?:全部内容|全部|全文|阅读全文)[>》∨↓]*$|(?:手机|微信)?扫码(?:阅读|查看|看)(?:本文|全文)?$"
        r"|(?=[^+-]*[+-])[【\[]?(?:[+-]?A[+-]?){1,3}[】\]]?$|[一二三四五六七八九十]{1,3}月\d{4}[|｜]?$|第\d{1,2}版"
        + COLON
        + r"\d{1,2}$",
    ),
    # a news site's privacy banner (CNA's: `…點這裡了解中央社隱私聲明。當您關閉此視窗，代表您同意上述規範。`): the site
    # speaking of its privacy statement and your consent
    (
        "chrome.disclaimer",
        r".{0,120}(?:了解|查看|阅读)[^。，]{0,12}隐私(?:权)?(?:声明|政策|条款)|.{0,120}(?:代表|即表示|视为)(?:您|你)同意(?:上述|本站|本网站|我们)",
    ),
    # a paginated copy's page list (`【 第1页 第2页 … 第10页 】`: crntt's, read as the title)
    ("chrome.page_counter", r"[【\[]?(?:第\d{1,3}页){2,}[】\]]?$"),
    # a breadcrumb to the article itself whose steps hold digits (`中國作家網>> 2013年全國兩會 >> 正文`)
    (
        "chrome.breadcrumb",
        r"(?=.{0,120}$)[^，。！？；>]{2,30}(?:(?:>>|»|＞＞)[^，。！？；>]{1,30}){0,5}(?:>>|»|＞＞)正文$",
    ),
    ("chrome.breadcrumb", r"首页[^\s，。、；：:！？!?,]{2,30}$"),  # keys hold no spaces: a nav bar is one run
    # a portal's channel bar, nine or more short Han names between bars (`直通屏山|福建|时评|大学城|台海|…`, fjsen.com:
    # the title of session 47's copy of a press conference); a table's header row has fewer columns, its rows figures
    ("chrome.breadcrumb", rf"(?:[{HAN}]{{1,6}}[|｜]){{8,}}[{HAN}]{{1,6}}$"),
    # an organ's news section labelled above the story (`新聞與活動` / `總統府新聞`, president.gov.tw: the title of 3 of
    # session 47's pages; `行政院新闻`, `本网新闻`). A place's news (`湖州要闻`) is a breadcrumb's last step, which the
    # head reader takes apart itself.
    ("chrome.breadcrumb", rf"(?=.{{2,8}}$)(?:新闻与活动|新闻与公告|[{HAN}]{{0,3}}(?:府|院|本站|本网)新闻)$"),
    # Taiwanese government sites' accessibility anchors (`:::`, the accesskey marks above the menu and the content)
    ("chrome.toolbar", r":::$"),
    # CNA's edition and app banners and its listen-button consent (`Your browser does not appear to support Traditional
    # Chinese…`, `こちらのページは繁体字版です…`, `中央社一手新聞APP Icon…`, `請同意我們的隱私權規範，才能啟用聽新聞的功能。`):
    # left above the headline of session 47's two CNA pages, where they took its place as title
    (
        "chrome.disclaimer",
        r"Yourbrowserdoesnotappeartosupport|こちらのページは|[^，。]{0,8}一手新闻APP",
    ),
    # the consent a site asks for a feature (`請同意我們的隱私權規範，才能啟用聽新聞的功能。`): its `我们` is the site's
    ("chrome.consent", r"请(?:先)?同意(?:我们|本站|本网站)的隐私权?(?:规范|政策|声明)[^。]{0,20}[。]?$"),
    # a view count run into the font-size switch (`浏览: 【大中小】`, county portals)
    # (a labelled bar, `阅读量：【字体：小中大】`, is left to the font-bar pass, which also splits a head joined around it)
    ("chrome.toolbar", r"浏览(?:量|次数)?" + COLON + r"\d*次?【[大中小]{3}】$"),
    (
        "chrome.toolbar",
        r".{0,16}(?:网|站)欢迎(?:您|你)[！!]?$|维基文库[，,]\s*自由的图书馆$|[^\s，。]{0,4}范文(?:帮|网|大全)?$"
        # wikisource's note on the collection a text was taken from (`本作品收錄於《東方雜誌`), above the text: the title
        r"|本作品收录于《[^》]{1,40}》?[^，。！？；]{0,20}$"
        r"|论文部分内容阅读$",
    ),
    # the site's introduction: `下面是小编为大家整理的…讲话，供大家参考。` / `下面给大家分享一些关于…，供大家参考。` /
    # `前言：本站为你精心整理了…范文，希望能为你的创作提供参考价值…`; a doc site's `编者按：本文主要从…几个方面进行阐述`
    (
        "chrome.intro",
        r".{0,80}?(?:下面|以下)(?:是|为)?小编(?:为|给)?(?:大家|您)?(?:精心)?(?:整理|收集|搜集|带来|分享|推荐)(?:的|了)"
        r".{0,80}?(?:供大家参考|仅供参考|希望对|欢迎阅读|欢迎参考|供您参考)"
        r"|.{0,80}?下面(?:给|为)大家分享.{0,60}?(?:供大家参考|仅供参考)|前言"
        + COLON
        + r"本站为你精心整理了|编者按"
        + COLON,
    ),
    # the same introduction in a site's own name or with 以上/就是/为你, a definition of the genre before it on the line:
    # `演讲稿，是在较为隆重的仪式上…发表的讲话文稿。…下面是范文网小编整理的校庆演讲稿11篇，供大家赏析。`, `以下是学习啦整理了…
    # 范文3篇，供你参考。`, `下面我们范文网发言稿频道给大家精编的14篇…，希望对大家有所帮助`, `以上是小编为大家准备的…范文，
    # 希望对大家的写作有所帮助。` (the site's voice: 小编 or a name ending in 网/啦/站/频道, never a speaker's 我)
    (
        "chrome.intro",
        r".{0,90}?(?:下面|以下|以上)(?:就|我们)?(?:是|为)?[^，。,\s]{0,12}?(?:小编|网|啦|站|频道)(?:为|给)?(?:大家|您|你|你们)?"
        r"(?:精心)?(?:整理|收集|搜集|带来|分享|推荐|准备|精编|编辑)(?:的|了)"
        r".{0,80}?(?:供(?:大家|您|你)?(?:参考|赏析|借鉴|阅读)|仅供参考|希望对|欢迎阅读|欢迎参考)",
    ),
    # a news page's own summary and index lines above the story: `内容摘要：…` (the lead again), `[导读]…`, `文章导读：…`,
    # `关键词：开学典礼；党校；…`, `作者简介：` (cssn.cn, haiwainet, ceweekly; k3's held-out pages took `关键词：…` as title)
    # and a journal site's citation line (`引用本文:周某.在…会议上的讲话[J].某市人民政府公报,2006(10).`, alljournals and
    # CNKI-style pages), also when the repeated title split it before its GB/T 7714 type mark (`[J].刊名,年(期).`)
    (
        "chrome.intro",
        r"(?:内容摘要|文章导读|关键词)"
        + COLON
        + r"|[\[【]导读[\]】]|作者简介"
        + COLON
        + r"?$|(?:引用本文|本文引用格式|引文格式)"
        + COLON
        + r"|\[[JMNCDRSPZ]\]\.",
    ),
    # a photo caption naming the scene (`大会现场`, `人大第一代表团审议现场`)
    ("chrome.photo_caption", r"(?=.{2,20}$)[^，。！？；]{0,14}(?:会议|大会|会场|活动|审议|座谈会|仪式|开幕式)现场$"),
    # a news site's masthead lines: its licence class (`…官方网站 中央新闻网站 互联网新闻信息稿源单位`) and the organ that
    # runs it (`中国作家协会主管`): held-out news pages (k3) took them as the title
    (
        "chrome.disclaimer",
        r".{0,60}新闻信息稿源单位$|[^，。！？；]{2,24}(?:协会|委员会|宣传部|报社|集团|办公厅|办公室)主管(?:[^，。！？；]{2,24}主办)?$",
    ),
    # 本文档由用户上传 …
    ("chrome.download_notice", r"\d?\.?(?:本文档由用户上传|下载前请仔细阅读|部分包含数学公式|下载文档时可能)"),
    # 范文 sites around a paywall: `如果喜欢本篇内容，请赞赏鼓励哦！` / `尚未有人赏赞，赶紧来一个吧` / `请选择打赏类型` / `¥8.88`
    # / `查看更多>>` / `请先登录`; their share and copyright blocks: `微信扫一扫在手机阅读、分享本文` / `微信订阅号` /
    # `联系客服` / `版权声明` / `作者原创，不允许二次传播，一经发现收回会员权益，追究法律责任。`
    (
        "chrome.paywall",
        r"(?:如果喜欢本篇内容|尚未有人赏赞|请选择打赏类型|请赞赏鼓励)|[¥￥]\d+(?:\.\d+)?$|赏赞$|查看更多[>》]+$|请先(?:登录|登陆)$|(?:阅读|查看)全文$",
    ),
    ("chrome.share", r"微信扫一扫在手机(?:阅读|打开)|微信订阅号$|(?:联系|在线)客服(?:提示)?(?:[-—－].{0,12})?$"),
    ("chrome.disclaimer", r"版权声明$|.{0,40}(?:不允许二次传播|收回会员权益)"),
]

# Line rules whose pattern names chrome by phrases no speech uses (不代表本站观点, 下载前请仔细阅读, 只看该作者 …):
# they may remove a line that holds a sentence. The others (来源：, 发布时间：, 编辑：…) only match a line's start, so
# they may not remove a line that reads as speech (see normalize._speechlike).
WHOLE_LINE_RULES = frozenset(
    [
        "chrome.disclaimer",
        "chrome.consent",
        "chrome.paywall",
        "chrome.intro",
        "chrome.download_notice",
        "chrome.forum",
        "chrome.share",
        "chrome.toolbar",
        "chrome.page_counter",
    ]
)

# Whole-line rules whose phrases are the site speaking of itself (本站为你精心整理了…, 下面是小编为大家整理的…): a speech
# mark in the line (`我们的客服老师可以帮助你…`) does not make it speech.
SITE_VOICE_RULES = frozenset(["chrome.intro", "chrome.consent"])

# Markers that end the speech: the marker line and every line after it are chrome (only searched near the end).
TAIL_MARKERS = re.compile(
    r"(?:相关(?:报道|文档|文章|阅读|链接|新闻|推荐)|延伸阅读|推荐阅读|热点文章阅读|相关热词搜索|关闭窗口|"
    r"扫一扫在手机打开当前页|分享到微信|点评|点评回复举报|快速回帖.*|回帖双倍积分|上一篇|下一篇"
    # 范文 sites: the share block under the text, the paywall's notice (a page cut there ends there), the comment box
    r"|微信扫一扫在手机阅读.*|如果喜欢本篇内容.*|(?:试读|预览)(?:已)?结束[，,！!].*|全文(?:共|约)\d+字.*"
    r"|[（(]?(?:想|要)?(?:阅读|查看)(?:完)?全部(?:图文)?内容.*|留言与评论.*|…*[（(]未完[，,]全文共\d+字.*)"
    + COLON
    + r"?.{0,40}$"
)
# A page's paragraphs joined into one line: its end-of-page chrome follows the speech's last sentence on that line
# (normalize._joined_tail). The marker must follow a sentence's end and lie within the line's last JOINED_TAIL_CHARS
# characters (the 2026 provincial pages' tails, related links and toolbars included, are <= 450); a marker that needs
# no sentence end before it (JOINED_TAIL_STRONG) is looked for only on a line of JOINED_TAIL_MIN+ characters (a
# joined body, not a link title).
JOINED_TAIL_MIN = 200
JOINED_TAIL_CHARS = 800
JOINED_TAIL_MARKER = re.compile(
    r"(?<=[。！？!?”』」）)])\s*(?:相关(?:报道|文档|文章|阅读|链接|新闻|推荐|附件)|延伸阅读|推荐阅读|热点文章阅读|(?:责任)?编辑:|[（(]来源:|来源:(?=[^。！？]{1,30}$)"
    r"|扫一扫在手机打开当前页|【?打印本页|【?关闭窗口|分享到:|[》>]+点击(?:图片|这里|此处)?进入专题"
    r"|[【\[]?责编:|上一篇:|下一篇:|返回顶部|版权所有|Copyright|©|[（(][^）)]{2,16}网站[）)]$"
    r"|[（(]《[^》]{1,12}》\d{4}[-.年]?\d{1,2}[-.月]?\d{1,2}日?第?[\d一二三四五六七八九十至、-]{1,8}版[）)]$|[（(]新华社[^）)]{0,24}电[）)]$)"
)
# Tail chrome no speech says, which ends a joined speech wherever it sits in the line's last JOINED_TAIL_CHARS: a
# copy cut mid-sentence (the seed forum and doc-sharing pages) has no sentence end before it.
JOINED_TAIL_STRONG = re.compile(
    r"相关热词搜索:|(?:点评\s*)*点评\s*回复\s*举报|快速回帖|回帖双倍积分|(?:第\s*\d+\s*页\s*)?共\s*\d+\s*页\s*$"
)
# Chrome a copy prints inside a paragraph (normalize._join_across_cuts): the halves around it are joined again when
# the first ends mid-sentence (not after SENTENCE_END, and the second is no heading).
MID_PARAGRAPH_RULES = frozenset({"chrome.page_counter", "chrome.running_header"})
# A PDF's text carries each page's running header (the report's title, the issuing office) and page number between
# its lines (normalize._running_headers): a short line of RUNNING_MIN_HAN+ Han characters and no punctuation that
# stands alone RUNNING_MIN_COUNT+ times is a header after its first time; bare numbers on lines of their own that count
# up by one, RUNNING_MIN_COUNT+ of them, are page numbers. On the 681 pages of the shared corpus the only short lines
# repeated 3+ times are `一是`/`二是`/`三是` (gwr_043) and `↑`: under 4 Han characters.
RUNNING_MIN_COUNT = 3
RUNNING_MIN_HAN = 4
RUNNING_MAX = 30  # key chars of a running header
# no sentence punctuation, not opening a bracket or quote at its end nor closing one at its start (a piece of a sentence
# wikisource cut at a linked title: `我们要认真落实《`)
RUNNING_LINE = re.compile(
    rf"(?![”》’」』\]］)）])[^。！？；，、：,.;:!?]{{{RUNNING_MIN_HAN},{RUNNING_MAX}}}(?<![《“‘「『\[［(（])"
)
PAGE_NUMBER_LINE = re.compile(r"\d{1,4}")
SENTENCE_END = "。！？；：…”’）)!?;:"
HEADING_START = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.、])")
TAIL_WINDOW = 12  # marker must sit among the last this many non-empty lines
# Speech below a tail marker (a forum's footer between two floors of one speech) ends the tail cut: an outline
# heading or a sentence. 8 Han characters: the shortest closing sentence seen in the dev corpus (`谢谢大家！` is a
# speech mark already); related-link titles carry no sentence-final punctuation.
TAIL_OUTLINE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])")
TAIL_SENTENCE_END = re.compile(r"[。！？!?]$")
TAIL_SENTENCE_MIN_HAN = 8
TAIL_LINE_MAX = 80  # key chars: related-link titles below a tail marker are shorter; a longer line there is speech

# Lone tokens of page toolbars, breadcrumbs and sharing bars: removed only as part of a run with a strong token.
TOOLBAR_TOKENS = frozenset(
    [
        "下载",
        "打印",
        "全屏",
        "收藏",
        "【字号:",
        "【字号：",
        "【字体:",
        "【字体：",
        "字号:",
        "字号：",
        "字体:",
        "字体：",
        "加大",
        "还原",
        "减小",
        "默认",
        "大",
        "中",
        "小",
        "】",
        "【",
        "分享",
        "分享:",
        "分享：",
        "分享到:",
        "分享到：",
        "关闭",
        "关闭窗口",
        "打印本页",
        "返回",
        "顶部",
        "|",
        "×",
    ]
)
TOOLBAR_STRONG = frozenset(
    [
        "下载",
        "打印",
        "全屏",
        "收藏",
        "【字号:",
        "【字号：",
        "【字体:",
        "【字体：",
        "字号:",
        "字号：",
        "字体:",
        "字体：",
        "关闭窗口",
        "打印本页",
    ]
)

# A label alone on its line whose value sits on the next line (来源： / 宁夏日报客户端).
LABEL_ONLY = re.compile(
    r"(?:来源|时间|发表时间|发布时间|日期|作者|责任编辑|编辑|责编|阅读量|点击|浏览次数)" + COLON + r"?$"
)
# The value a label alone may take from the next line by its kind: a count is a number and a time holds a digit (a
# page whose count or stamp was a script's output ran `阅读量：` into the title: `阅读量： 政府工作报告`).
LABEL_COUNT = re.compile(r"(?:阅读量|点击|浏览次数)" + COLON + r"?$")
LABEL_TIME = re.compile(r"(?:时间|发表时间|发布时间|日期)" + COLON + r"?$")
COUNT_VALUE = re.compile(r"\d+(?:次|人次)?$")

# Forum post header: from the board statistics line to the first-post marker.
FORUM_START = re.compile(r"今日" + COLON + r"\d+\|?昨日" + COLON)
FORUM_END = re.compile(r"(?:楼主|分享到" + COLON + r"?)$")
FORUM_SPAN = 40

# Download notice: `温馨提示:` followed by numbered lines.
NUMBERED = re.compile(r"\d+[.、．]")

# Photo captions are short and signed by a photographer or agency (殷勇同志作政府工作报告。本报记者 戴冰摄 /
# 石榴云/新疆日报记者 谢龙 摄 / …作政府工作报告。 刘清羽 摄 / 摄影：张三). Matched on the key (no whitespace). An unsigned
# `省长赵刚作政府工作报告` is a byline-like subtitle and stays in the text.
CAPTION_MAX = 120  # key chars; the longest signed caption of the 681 dev pages has 75
PHOTO_CAPTION = re.compile(
    # 本报记者霍艳恩摄 / 记者于中平报道 / 记者盛学卿 / （记者 盛学卿）; a bare `记者` + two characters ending a sentence is
    # speech or news (`…出席记者会并回答中外记者提问。`, `…接受记者采访。`): only a signed caption ends in 。
    r"(?:.*(?:记者|通讯员)[" + HAN + r"·]{2,4}(?:摄影?|报道|供图|(?=[）)]?$))"
    r"|.*。[" + HAN + r"·]{2,4}摄"  # …作政府工作报告。刘清羽摄
    r"|(?:.*[。，])?(?:摄影|图片|图)" + COLON + r"[" + HAN + r"·]{2,8}"  # 摄影：张三
    r"|.*新华社(?:记者[" + HAN + r"·]{2,4})?发"
    # a credit in brackets closing the caption, the agency before the name (`中国评论通讯社20周年庆典（中评社 陈思远摄）|`,
    # `…嘉宾合影。(中评社 黄筱筠摄)`: crntt's captions, read as the title), an agency's `中新社发 潘索菲 摄`
    r"|.*[（(][^（()）]{0,12}?[" + HAN + r"·]{2,4}摄影?(?=[）)])|.*(?:社|网|报)发[" + HAN + r"·]{2,4}摄)"
    r"[。）)]?[|｜]?$"
)

# A broadcaster's tag opening the lead paragraph (`【Now新聞台】273. 主席、各位議員…`, `【i-CABLE】`, `【有线新闻】`): the
# source, cut from the paragraph it opens (news.now.com pages, session 46). Bracketed, at a line's start, naming a
# station or channel: a speech's own bracketed heading (`【坚持人民至上】`) names none.
BROADCASTER_TAG = re.compile(
    r"\s*【[^【】\n]{0,12}(?:新闻台|新聞台|电视台|電視台|新闻|新聞|频道|頻道|CABLE|TVB|RTHK)】\s*"
)

# A head whose line breaks were lost (normalize._split_joined_head): the first HEAD_SPLIT_LINES non-empty lines of
# at least HEAD_SPLIT_MIN characters are broken again where chrome, title, dateline, byline and salutation meet, when
# their first HEAD_SPLIT_CHARS characters hold a dateline or two chrome labels. 300 characters hold the longest head
# of the shared corpus's pages joined before their salutation (the 2026 provincial pages: toolbar, title, dateline,
# source, date, byline and caption in ~130); 12 lines cover the chrome that precedes a title (breadcrumbs, toolbars).
EDITOR_NOTE_LABEL = ("编者按:", "编者按：")
EDITOR_NOTE_MAX = 600  # key chars: a doc site's note summarizing the speech (the held-out pages' are 250-300)


# A forum's head is longer: seed 001's, its breaks turned into spaces, runs 383 characters to the end of its byline
# (board statistics, user panel, post stamp), and a page with pinyin injected after each character triples its length:
# 600 characters are looked at. Breaks fall only before a salutation the line holds (what follows it is speech, the
# body split's to break), and a line longer than the window has its last piece looked at in turn.
HEAD_SPLIT_LINES = 12
HEAD_SPLIT_MIN = 16  # `白山市市长王雪峰 分享到：微信 微博 QQ空间` (a mobile page's byline and share bar) has 22
HEAD_SPLIT_CHARS = 600
# A 范文 site's length stamp under a preview (wmjy: `【文章共1471字，精选参考范文，仅供学习借鉴】`): chrome; the text was
# cut when the page shows less than ARTICLE_SHOWN_SHARE of the characters it counts (the stamp counts every
# character, punctuation too).
# A print page's excerpt note (hkej: `(節錄)全文共2198字`) is one too.
ARTICLE_LENGTH = re.compile(
    r"[【\[(（]?(?:[（(]节录[）)])?(?:文章|全文|本文)共\s*(\d{3,6})\s*字(?:[，,][^】\]\n]{0,24})?[】\])）]?$"
)
ARTICLE_SHOWN_SHARE = 0.9
# The shown text's last line cut with an ellipsis (`…万事如...`) above a login or reward prompt (chrome.paywall):
# the rest of the text is behind the prompt.
# (the cut may fall after a sentence's end: fanwenq's `…共同愿望。...` over `请先登录`)
ELLIPSIS_CUT = re.compile(r"[" + HAN + r"。，；、：](?:\.{3,6}|…{1,2})$")
# A doc site's scrambled preview (renrendoc's `蒄蚄袀膇…`): its text set in a font whose glyph table was shuffled, so
# the characters a scraper reads are drawn from the font's table, not from the speech — mostly Han characters outside
# GB2312's first level and not Traditional-only (normalize._RARE_HAN). A speech's line holds few: on the shared corpus
# (57,448 lines of 10+ Han characters) at most 15 % (日喀则 2020's `砥砺奋进`, 2 of 13; 西安 2018's `治霾十法` glossary,
# 8 of 60; names and places like 莞, 濮, 儋 make the rest), a renrendoc preview 78 %, characters drawn at random from
# GBK's table ~69 %. A line of GARBLED_MIN_HAN Han characters or more, GARBLED_RARE_SHARE of them rare, is the
# preview (chrome.garbled_preview), whatever punctuation the preview kept.
GARBLED_MIN_HAN = 10  # Han characters before a line's share is read (`东莞市常务副市长曾坚朋`: 11, one rare)
GARBLED_RARE_SHARE = 0.4  # 2.6x the shared corpus' largest share on a speech's line, well under a preview's
GARBLED_LINE_RARE = 4  # rare characters a garbled line holds at least (GARBLED_MIN_HAN x GARBLED_RARE_SHARE)
# a garbled line's GARBLED_LINE_RARE rare characters in a row stand within this many characters: 3 gaps of at most
# 2.5 Han characters each at the 40 % share, room for punctuation and spaces doubling the line (a speech's
# rare characters stand apart: 113 of the shared corpus' 682 files hold 4 in a line, far fewer in a clump)
GARBLED_CLUMP_SPAN = 40
# A doc site's title line repeated at the start of the text, glued to its first sentence with no salutation between
# (6dgww: `在全市招商引资…交流会上的讲话` / `市长在全市招商引资…交流会上的讲话这次招商引资督查观摩活动，目的是…`): the copy,
# with the office a summary puts before it, is broken off the body. A title is a head line of GLUED_TITLE_MIN to
# GLUED_TITLE_MAX characters ending in a document's word, the copy starts within GLUED_TITLE_LEAD characters (an
# office: `市长`, `县委副书记、县长`).
# A doc site's text that opens with its title run into the speech's first words, no title line above it and no break
# (wenke99's `在全市安全生产会议上的讲话今天,我们召开…`, `…全体(扩大)会议上的讲话文稿同志们,今天…`, `…会议主持讲话3今天,…`,
# `全县教师节表彰大会讲话稿今天我们…`: 4 of session 50's 23 fresh dev pages, none with a title): broken after the
# document's word (and a 范文 collection's variant number), where a speech's opening words follow. The title part
# holds no punctuation and names an occasion (会, 节, 仪式 …): a sentence about a speech (`…的讲话在全县引起…`) does not
# run on into an opening.
# A work summary's title runs on into its first sentence the same way, which opens on the period it sums up
# (wenke99's `镇2016年半年工作总结2016年，我镇紧紧围绕…`: session 52's fresh pages): 总结 is its word and its occasion.
OPENING_GLUED_TITLE = re.compile(
    r"(?P<title>[^。；！？，,:：;!?\s]{4,60}?(?:讲话|致辞|发言|主持词|讲稿|演讲|开幕词|闭幕词|贺词|献词|总结)(?:文稿|稿|材料)?\d?)"
    r"(?=同志们|各位|今天|这次|今年|尊敬的|女士们|刚才|值此|在这|一年来|[12]\d{3}年[，,])"
)
OPENING_GLUED_OCCASION = re.compile(r"会|节|仪式|典礼|论坛|培训班|活动|总结")
# A doc site's file name heading the page (zhuangpeitu's `副县长关于庆祝教师节的电视讲话公众演讲.doc`, book118's and
# docin's `….docx`): the document's title with its extension, not an attachment list's entry (chrome.related, which
# removed it whole and the page's title with it). Only the page's first line; the extension is cut, the title kept.
FILE_NAME_TITLE = re.compile(
    r"(?P<title>[^。；！？\n]{4,80}?(?:讲话|致辞|发言|报告|主持词|演讲|讲稿|贺词|献词)[^。；！？.\s]{0,6})"
    r"\.(?i:docx?|pdf|wps|txt|pptx?)\s*$"
)
GLUED_TITLE_MIN = 8
GLUED_TITLE_MAX = 80
GLUED_TITLE_LEAD = 12
# A title glued to the salutation that opens the speech (`桥头镇2023年度政府工作报告各位代表：现在，我代表…`: a doc
# site's preview with every break lost, the title, salutation and first paragraph on one line): broken before the
# salutation when a title's last word (GLUED_TITLE's, or a closing bracket after a date) stands right before it, within
# the line's first TITLE_SALUTATION_CHARS characters (normalize._split_joined_head; the head's other rules then see the
# title alone). A sentence never ends on 讲话 or 报告 and goes on with `同志们：`.
TITLE_SALUTATION_CHARS = 200  # a head's title with its dateline and byline: the longest of the shared corpus is ~120
TITLE_THEN_SALUTATION = re.compile(
    r"(?:讲话|致辞|报告|发言|主持词|讲稿|贺词|献词|演讲|开幕词|闭幕词|[）)])(?:稿)?"
    r"(?P<sal>(?:各位代表|各位委员|同志们|代表们)[:,，：])"
)
GLUED_TITLE = re.compile(r"[^。；！？]*(?:讲话|致辞|报告|发言|主持词|讲稿|贺词|献词|演讲|开幕词|闭幕词)(?:稿)?$")
# The salutation that opens the speech sharing its line with the first paragraph (`同志们：今天，我们召开…`: a doc
# site's copy that lost the <p> after it; `各位委员，同志们：市政协X届X次会议…`): broken after its colon
# (normalize._split_joined_head), so the first paragraph stands on a line of its own as in a copy that kept its breaks.
# Only addressees before the colon: each piece between 、，, and spaces names those addressed (ADDRESSEE_WORD), the
# whole at most 40 characters (`尊敬的各位领导、各位来宾，女士们、先生们：` has 20); what follows the colon is a
# paragraph: SALUTATION_BODY_MIN+ characters with a sentence's end (`各位代表：` over its paragraph's line is left as
# it is). Only the page's head is looked at, only its first salutation, and only below a head line (a page opening
# on the salutation is a speech alone: normalize leaves it as it is, SPEECH_SAMPLES).
OPENING_SALUTATION = re.compile(rf"[ \t\u3000*#]*(?:{vocab.SALUTATION_WORDS})[^。！？；：:!?;\n]{{0,40}}?[：:]")
ADDRESSEE_PIECES = re.compile(r"[、，,\s]+")
ADDRESSEE_WORD = re.compile(
    r"们|各位|领导|代表|委员|来宾|嘉宾|同志|朋友|同学|老师|同仁|乡亲|家长|女士|先生|校友|职工|书记|主席|市长|县长|省长|部长|局长|主任"
)
SALUTATION_BODY_MIN = 10  # a paragraph's first sentence after the colon, not a word or a label's value
SALUTATION_BODY_END = re.compile(r"[。！？!?]")
_DATE_CN = r"\d{4}年\d{1,2}月\d{1,2}日"
_STAMP = r"\d{4}-\d{1,2}-\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?|" + _DATE_CN + r"\s*\d{1,2}时\d{1,2}分(?:\d{1,2}秒)?"
_DASH = r"[—―─\-]"  # — and its look-alikes: ― (U+2015), ─ (box drawing), - (a folded －)
HEAD_SALUTATION = re.compile(
    r"(?:各位代表|各位委员|同志们|代表们)[:,，：]"
)  # a line that opens the speech ends the head
HEAD_DATELINE = re.compile(
    _DASH + r"{1,2}\s*" + _DATE_CN + r"|" + _DATE_CN + r"[^。，]{0,6}在[^。]{2,60}?(?:会议|大会)上"
    # a dateline without its date (`——在哈密市第二届人民代表大会第一次会议上`, the date in brackets after the byline)
    r"|" + _DASH + r"{1,2}\s*在[^。，]{2,60}?(?:会议|大会)上"
)
_CHROME_LABEL = (
    r"(?:文章|信息|稿件|新闻)?来源:|(?:发布|发表|更新)?(?:时间|日期):|(?<!发文)【?(?:字号|字体):|(?:您的|你的)?当前位置:"
    r"|(?:您|你)的位置:|(?:点击|阅读|浏览|访问)(?:量|数|次数)?:|分享(?:到|至)?:"
)
HEAD_CHROME_LABEL = re.compile(_CHROME_LABEL + r"|(?:下载|打印|全屏|收藏){2,}")
# The rest of a page stamp a PDF's width wrapped (`告 點擊:` after `發布時間:2021-03-25 來源: 實習報`): a value's last
# few characters, then a chrome label and its short value (matched on a line's key; the stamp line must be of the
# page's wrap width). STAMP_WRAP_VALUE: a site name's tail is 1-6 characters; a counter or a date after the label fits
# in 20.
STAMP_WRAP_TAIL = re.compile(r"[^:，。；！？]{1,6}?(?:" + _CHROME_LABEL + r")[^，。；！？]{0,20}")
# A head joined a few lines at a time (a scraper that kept some <br> of the head block and dropped others) cuts a
# toolbar in two: `来源：云南日报2026-02-03 09:02:33【字体：` / `大中小` / `】——2026年…`, `【字体：小中` / `大】政府工作报告`.
# normalize._split_joined_head rejoins such a line with the next before breaking it: a line holding text before a
# `【` left open, or an open `【` whose `】` starts the next line with text after it. A toolbar a token a line (`【字体：`
# / `大` / `中` / `小` / `】`: the pages as published) is left to the toolbar rule. Matched on keys.
HEAD_BAR_CLOSE = re.compile(r"[^【]{0,12}】(?=\s*\S)")  # the next line's start: a toolbar's close, text after it
# the end of a font-size bar cut from its start, text after it (`大】政府工作报告`, `】——2026年1月28日在…`): cut as the
# toolbar it is (on the raw line: its own words only, never speech)
FONT_BAR_TAIL = re.compile(r"[ \t\u3000]*[大中小加还原减默认 \t\u3000]{0,12}】(?=\s*\S)")
# A dateline wrapped before its end (`——2026年1月26日在广东省第十四届` / `人民代表大会第五次会议上广东省省长 孟凡利…`, a
# page wrapped at a fixed width and then joined a few lines at a time): rejoined with the line that ends it, so the
# split sees the whole dateline (the line rules join such a wrap anyway on a page that kept its breaks)
HEAD_DATELINE_OPEN = re.compile(_DATE_CN + r"\s*在[^。，；：!?！？]{1,40}$")
HEAD_DATELINE_REST = re.compile(r"[^。，；：!?！？]{0,40}?(?:会议|大会)上")
# a font-size bar with other text on its line (`【字体:小中大】政府工作报告`), and a page stamp with its clock time (never
# a speech's dateline) after other text (`2026年四川省人民政府工作报告2026年02月10日 07时41分`): the head's pieces ran
# together, the line is broken (a line of chrome alone stays one line)
# a photo credit with text after it (`…作政府工作报告。 贵州日报天眼新闻记者 李森 摄政府工作报告`) and a breadcrumb's
# last step (`您的当前位置:首页正文全区领导干部大会上的讲话材料`) too. A date and clock after a word that
# takes a time (`…因病医治无效，于2006年7月29日12时10分病逝`, `定于`, `在`, `至`, `从`) is the sentence's own: a
# eulogy's was cut out of its sentence as a stamp (session 59, fresh pages)
HEAD_RUN_TOGETHER = re.compile(
    r"首页[>›»/]?正文(?=\s*\S)|【?(?:字号|字体):[^】]{0,12}】(?=\s*\S)|记者\s?["
    + HAN
    + r"·]{2,4}\s?摄影?(?![像制入取氏])(?=\s*\S)|(?<=[^\s于在至到从自])\s*(?:\d{4}-\d{1,2}-\d{1,2}|"
    + _DATE_CN
    + r")\s*\d{1,2}[:时]\d{2}"
)


# A 范文 / doc site's head run together with its title: `第1页共21页`, `编号：541193579` or `10-28 | 移动端：` before it,
# `文章标题：…讲话` or `编者按：` after it. Each counts as a chrome label, and the line is broken around it.
DOCSITE_HEAD = re.compile(
    r"^\s*(?:第\s*\d+\s*页\s*共\s*\d+\s*页|编号:\s*\d{5,}|(?:\d{1,2}-\d{1,2}\s*\|?\s*)?移动端:)"
    r"|(?:文章|本文)标题:[^:。，]{4,60}?(?:讲话|报告|致辞|发言|总结)|(?P<note>编者按:)"
    # a 范文 template's date stamp left unfilled, between the site's summary of the document and its own title
    # (777doc: `编号：136929198县委常委…会议上的主持词201X/X/XX全县…会议上的主持词县委常委…xxx（二○一八年…）同志们：`)
    r"|(?P<stamp>(?<![\d/])20[\dX]X/X{1,2}/X{1,2}(?![\dX/]))"
)  # an editor's note is broken off before its label only: the note runs on to the salutation


# A head joined with a separator (vocab.HEAD_SEPARATOR_RE): each counts as a chrome label, and the line is broken
# where it stands; the separator goes.
HEAD_SEPARATOR = vocab.HEAD_SEPARATOR_RE
# A document site's download notice opening a line that lost its breaks (seed 003 joined whole: `温馨提示：1. 部分包含…
# 4. …请联系客服处理。网站客服：3074922707` then the tags, the title and the speech): the notice, ~310 characters on
# that page, three times that with pinyin injected, runs to its support contact, and the line is broken after the
# contact's number (a mobile number is 11 digits from 1, a QQ number 5-10: `30749227072023` is QQ 3074922707 and a
# tag's year). Looked for within HEAD_NOTICE_CHARS of the line's start.
HEAD_NOTICE_CHARS = 1200
HEAD_NOTICE = re.compile(
    r"(?:温馨提示|下载提示|特别提示)"
    + COLON
    + r".{0,1100}?(?:网站客服|客服(?:电话|热线|QQ|qq|微信)?)"
    + COLON
    + r"\s*(?:1\d{10}|\d{5,10})"
)
HEAD_SEPARATOR_CHARS = vocab.HEAD_SEPARATOR_CHARS
_HEAD_OFFICE = r"(?:代理|代)?(?:省长|市长|区长|县长|州长|盟长|旗长|主席|书记|总理)"
# one chrome label is enough when a byline (an office and a name) or the salutation follows it on the line: a page
# joined a few lines at a time (`时间：2026-02-02河北省人民政府省长 王正谱王正谱作政府工作报告。本报记者 霍艳恩摄`,
# `时间：2026-02-09上海市市长 龚 正各位代表：`); without the split the caption's rule took the byline with it
HEAD_JOINED_BODY = re.compile(_HEAD_OFFICE + r"\s*[" + HAN + r"]|(?:各位代表|各位委员|同志们|代表们)[:,，：]")
# break before: a dateline (its dash, or its date when no dash leads it), a chrome label, a toolbar run, a bare
# timestamp (not a label's value), a year-title glued to a breadcrumb (…宁夏要闻2026年…政府工作报告), a news
# sentence's date (2月3日，…), a salutation
HEAD_BREAK_BEFORE = re.compile(
    _DASH + r"{1,2}(?=\s*" + _DATE_CN + r")"
    r"|(?<![—―─\-\d\s（(])" + _DATE_CN + r"(?=\s*在[^。]{2,60}?(?:会议|大会)上)"
    r"|" + _CHROME_LABEL + r"|(?:下载|打印|全屏|收藏){2,}"
    r"|(?<![:\d\s])\s*(?:" + _STAMP + r")"
    r"|(?<![\d年月日省市区县州盟旗])\d{4}年(?=[^，。:]{0,24}(?:报告|讲话))"
    r"|首页[>›»/]"
    r"|(?<![年\d])\d{1,2}月\d{1,2}日[,，]"
    r"|(?:各位代表|各位委员|同志们|代表们)[:,]"
    # where breaks became spaces: a byline after a title's last word (`…会议上的讲话 区委副书记、区长 孙俨玲`), a
    # bracketed date alone after a space (`孙俨玲 (2012年6月15日)`; `报告（2017年1月15日在…）` glued is read whole)
    r"|(?<=讲话|致辞|报告|发言|总结)\s+(?=[^\s。，]{0,14}?" + _HEAD_OFFICE + r"\s*[" + HAN + r"])"
    r"|(?<=\s)\((?=" + _DATE_CN + r"\))"
)
# break after: the end of a dateline (…日在…会议上, not a caption's `X在…会议上作`), a share label, a photo
# credit (…记者 李森 摄), the end of a timestamp, of a toolbar run or a font-size bar; between a byline's name and the same name again (市长 张工张工作…) or an office
# (省长 刘小涛省长刘小涛代表…), spaced or not (`市长 张工 张工作政府工作报告。`: a page whose breaks became spaces)
# a toolbar's values after its label (vocab.TOOLBAR_BAR: `字号：大 中 小 打印 关闭`, `分享到：微信 微博 QQ空间`)
HEAD_TOOLBAR_BAR = vocab.TOOLBAR_BAR
HEAD_BREAK_AFTER = re.compile(
    r"(?:(?<=日)|(?<=[—―─\-（(\s])|^)在[^。，]{2,60}?(?:会议|大会)上[）)]?(?![的，,作])"
    r"|" + HEAD_TOOLBAR_BAR + r"|分享(?:到|至)?:|首页[>›»/]?正文"
    r"|(?:点击|阅读|浏览|访问)(?:量|数|次数)?:(?:\s*\d+(?:次)?)?"  # a count label, its count lost or not (`阅读量：`)
    r"|记者\s?[" + HAN + r"·]{2,4}\s?摄影?(?![像制入取氏])"  # 摄像机, 摄制, 摄入, 摄取, 摄氏: a word, no credit
    r"|" + _STAMP + r"|(?:下载|打印|全屏|收藏){2,}"
    r"|【?(?:字号|字体):[^】]{0,12}】"
    r"|(?<=[^\d])"
    + _HEAD_OFFICE
    + r"\s*(?P<name>["
    + HAN
    + r"]["
    + HAN
    + r"·]{1,7}?)(?=[ \t\u3000]*(?P=name)|[ \t\u3000]*"
    + _HEAD_OFFICE
    + r")"
)

# A byline at a caption line's start (normalize._caption_after_byline): an office within the line's first characters,
# a name of 2-8 characters (a dotted Uyghur or Tibetan name is longer than a Han one), then the caption's opening:
# strictly (the name again, an office, a date) before loosely (a place and an office: 刘小涛江苏省省长…).
BYLINE_OFFICE = re.compile(r"[^。，]{0,14}?" + _HEAD_OFFICE + r"[\s\u3000]*")
BYLINE_NAME_MIN, BYLINE_NAME_MAX = 2, 8
BYLINE_NAME = re.compile(f"[{HAN}][{HAN}·]*[{HAN}]")
CAPTION_OPENING = re.compile(_HEAD_OFFICE + r"|\d{1,2}月\d{1,2}日[,，]")
CAPTION_OPENING_LOOSE = re.compile(f"[{HAN}]{{1,10}}?(?:省|市|区|县|州|盟|旗)(?:人民政府)?" + _HEAD_OFFICE)

# An unsigned caption of the report's photo, in the head only (normalize._head_rules): `省长赵刚作政府工作报告`,
# `张工作政府工作报告。`, `1月20日，市长吴波代表市人民政府向大会作政府工作报告`
UNSIGNED_CAPTION = re.compile(
    r"(?:\d{1,2}月\d{1,2}日[,，])?(?:[^，。,]{0,16}?" + _HEAD_OFFICE + r")?"
    f"[{HAN}·]{{2,8}}?(?:同志)?(?:代表[^，。,]{{2,14}}?)?(?:[,，]?向大会)?作(?:政府)?工作报告。?"
)

CAPTION_TRIGGERS = ("记者", "通讯员", "摄", "图", "新华社")  # one is in every signed caption: a cheap pre-check

# Marks of the speaker addressing the audience: a line holding one is speech, and no rule removes it unless the rule
# recognised the whole line as chrome (a signed caption has none of these).
SPEECH_MARK = re.compile(r"我代表|请予审议|审议|提出意见|各位代表|代表们|同志们|我们|感谢|谢谢|现在[，,]")
SENTENCE_PUNCT = re.compile(r"[。！？；!?;]")
REMOVABLE_MAX = 120  # key chars a guarded rule may remove; page chrome lines of the dev corpus are <= 110
SPEECH_MIN_HAN = 20  # a line with sentence punctuation and this many Han characters reads as a sentence

# Spans from an opening to a closing marker (<!-- … -->, --- front matter ---) are bounded: a closer lost to a bad copy
# (`-衑>`, `--泦`) must not let the opener swallow the speech after it. On the 681 dev pages all 56 HTML comments are one
# line of <= 77 characters and all 498 front-matter blocks are <= 5 lines (<= 160 characters); the bounds leave room for
# the multi-line comments and longer YAML of other sites. Past them the opener is unclosed: only its own line goes.
COMMENT_MAX_LINES = 10  # lines from <!-- to its -->
COMMENT_MAX_CHARS = 600  # characters from <!-- to its -->
UNCLOSED_COMMENT_MAX = 160  # an unclosed <!-- line longer than this (2x the longest comment) has text glued: cut <!--
FRONT_MATTER_MAX_LINES = 30  # lines from --- to ---

# A page whose paragraphs were delivered on one line (text taken from a PDF, a <div> without <p>, <span>s, one
# <td>; line breaks turned into spaces or ideographic spaces) is broken again into paragraphs
# (normalize._split_joined_body) before any line rule runs. Only a line of JOINED_LINE_MIN+ characters is looked at:
# the longest paragraph of the shared corpus's 681 pages has 2,033 characters, and 843 sentence ends followed by a
# space sit inside the paragraphs of 80 of those pages (`…建成了陕北天然气进津。 蓝天、碧水…`): a space after a
# sentence is no paragraph break in a line of paragraph length.
JOINED_LINE_MIN = 2500
# A shorter page delivered on one line (a resolution, a short address: under 2,500 characters, its breaks turned into
# spaces) is broken the same way when that line is the page (SHORT_JOINED_SHARE of its characters, SHORT_JOINED_MIN+)
# and its spaces after a sentence's end are paragraph breaks, not a typesetting habit: SHORT_SPACED_MIN+ of them and
# at most SHORT_SPACED_SHARE_MAX of the sentence ends inside it (a paragraph ends after every 3-5 sentences of a
# report; a copy that sets a space after each sentence has one after all; the 843 stray ones of the shared corpus sit in 80
# pages' multi-line bodies, not in a page's only line)
SHORT_JOINED_MIN = 200
SHORT_JOINED_SHARE = 0.8
SHORT_SPACED_MIN = 1  # a resolution's two paragraphs meet once
SHORT_SPACED_SHARE_MAX = 0.8
# The head before a salutation within the line's first JOINED_HEAD_CHARS characters is left to the head split (a
# seed page's forum and download chrome before 同志们： is under 1,000 characters).
JOINED_HEAD_CHARS = 2000
_OUTLINE_MARK = (
    r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])"
)
# breaks (at the match's end): a whitespace run after a sentence's end, two or more ideographic spaces (an indent),
# a whitespace run after an outline heading (`一、2012年工作回顾 2012年，是…`: a heading ends without punctuation,
# markdown copies bold it: `**一、2012年工作回顾** 2012年`)
JOINED_BREAK = re.compile(
    r"(?<=[。！？；：…”」』）!?:])[ \t\u3000\u00a0]+(?=\S)"
    r"|(?<=\S)\u3000{2,}(?=\S)"
    # a short unpunctuated piece between two spaces: a heading or title line (`。 2014年主要任务 今年是…`), not a
    # byline's office before its name (`市长 许勤`), not a sentence's start before a spaced number (`。预计实现地区生产总值
    # 1651亿元`: the copy spaces digits from Han)
    r"|(?:(?<=\s)|^)[^。！？；：，、!?:;,\s]{5,39}(?<![长席记任理])[ \t\u3000\u00a0]+(?=[\u4e00-\u9fff\d“])"
    r"|(?:(?<=[。！？；…”」』）!?\s*])|^)\**" + _OUTLINE_MARK + r"[^。！？；!?\s]{1,40}?[ \t\u3000\u00a0]+(?=\S)"
)
# a markdown copy's bold heading after a sentence's end (`…提出意见。**一、2012年工作回顾**2012年，是…`,
# `…。（一）**以增加农牧民收入为重点**1．进一步…`): broken before and after it
JOINED_BOLD = re.compile(r"(?<=[。！？；：…!?:])(?:" + _OUTLINE_MARK + r")?\*\*[^*\n。！？；]{1,40}\*\*(?=[^*\s])")
# an outline marker right after a sentence's end, no space between (`…取得新成效。二、2013年工作安排…`): a break
# before it when the same style's neighbouring markers on the line are OUTLINE_GAP+ characters away. An inline
# enumeration (`。（1）开展校园周边安全整治行动。（2）建设…`, `：1.加强食品安全监管；2.改善…`) has its items closer:
# the items of such enumerations in half the shared corpus's pages are at most 201 characters apart (167 pairs,
# 95 % under 128); 80 % of the outline markers that start lines are 210+ characters from their neighbours. A markdown
# copy's heading keeps its `**` or `##` before the marker.
JOINED_OUTLINE = re.compile(r"(?<=[。！？：!?:])(?:\*\*|#{1,6}[ \t]*)?" + _OUTLINE_MARK)
OUTLINE_GAP = 210
# A run of such close markers is the outline after all when the page goes on with its next number as a heading
# (normalize._outline_runs): a review's short sections joined a few paragraphs at a time (`。（一）…。（二）…` under
# 210 characters apart, then `（三）` on a later line). Measured on the shared corpus's grouped layout (session 49:
# 452 section rows lost as inline lists). The run's evidence is a heading after a sentence's end or at a line's start:
# a list's items after `：`/`；` are no evidence.
SENTENCE_END_CHARS = "。！？!?"
# A line shorter than JOINED_LINE_MIN (paragraphs joined a few at a time) is broken before an outline heading glued
# after a sentence's end only when the heading continues the page's outline (normalize._split_glued_headings): its
# number follows the last heading of its style (`一、` … `。二、…`), or it opens a nested run (`（一）`) after a heading
# of another style. Only the report's two heading styles (`一、`, `（一）`): `1.` and `（1）` number inline lists.
# Markers after `；` are found too, as neighbours only (`报告分六个部分：一、…；二、…；三、…`: a list); `一、二、三次产业`
# and `一、三水厂` are numbers, not headings.
GLUED_HEADING = re.compile(
    # raw lines, so the marker may follow a space or a bold span's close: `工作: （一）`, `体现在：** （一）` read
    # `工作：（一）` once normalized, and a second normalize must find nothing left to split
    # the sentence's end is matched, not looked behind for: a class first is tried at half the cost on every line
    # (normalize._split_glued_headings breaks after it)
    r"[。！？：；!?:;](?:\*\*)?[ \t\u3000]*(?:\*\*|#{1,6}[ \t]*)?"
    r"(?P<mark>([一二三四五六七八九十]{1,3})、(?![一二三四五六七八九十])|[（(]([一二三四五六七八九十]{1,3})[）)])"
)
# A report's unnumbered part heading glued between a sentence's end and its part's first paragraph
# (`…提出意见。过去五年和2021年工作回顾过去五年，面对…`, a short page joined whole: `…请予审议。2022年工作回顾2022年极为
# 不易，…`): no marker, so neither GLUED_HEADING nor the outline sees it, and the part's first paragraph is lost in the
# one before. Broken before and after it (normalize._split_glued_parts) when the piece from the sentence's end to a
# part's closing words (PART_GLUED_ENDS: 工作回顾, 主要任务 …, extract_structure's part words) is 4-30 characters without
# punctuation that name a period (PART_TIME: a year, 过去, 五年, 上半年 …) and a time word opens what follows (the
# part's first sentence: `过去五年，`, `2022年`, `今年`, `一年来`), as HEADING_OPENER's time words do.
PART_GLUED_ENDS = ("回顾", "主要任务", "重点任务", "重点工作", "工作安排", "总体要求")  # found by str.find, not a scan
PART_OPENER = re.compile(
    r"(?:刚刚)?过去的?(?:[一五十]年|(?:19|20)\d\d年)|[一二三五十]年来|(?:今后|未来)(?:一个时期|五年)|新的一年|当前|今年"
    r"|(?:19|20)\d\d年"
)
PART_TIME = re.compile(r"(?:19|20)\d\d|过去|[一二三四五十]年|今年|明年|[上下]半年|今后|十[一二三四五六七]五")
PART_GLUED_MIN = 4
PART_GLUED_MAX = 30  # extract_structure's PART_LINE_RE takes 4-30 characters
PART_PUNCT = frozenset("，。；：！？、,;:!?“”《》（）()")
# A print indent inside a line (two or more ideographic or no-break spaces: `&nbsp;&nbsp;&nbsp;&nbsp;`, `　　`) is a
# line break a copy lost, whatever the line's length: no line of the shared corpus's 681 pages holds one between two
# characters. A line is split at them first (normalize._split_indents), head and body: a short page joined whole
# (< JOINED_LINE_MIN, where no other break is trusted), a head whose byline ran into a caption
# (`天津市市长 张工&nbsp;&nbsp;&nbsp;&nbsp;张工作政府工作报告。` went whole as the caption).
# (one possessive run, the indent checked by a lookahead: two quantifiers over the same spaces backtracked
# quadratically on a page ending in a long run of them)
INDENT_BREAK = re.compile(r"(?<=\S)(?=\u3000\u3000|\u00a0\u00a0)[ \t\u3000\u00a0]++(?=\S)")
# but a byline pads its name with them (`代市长　　刘国中`, 乌鲁木齐 2022's `市长&nbsp;&nbsp;买买提明·卡德`): an office's
# last character before the run and a name (2-4 characters, or names joined by ·) that no Han character follows
# (seed 001 joined: `区委副书记、区长&nbsp;&nbsp;孙俨玲(2012年6月15日)同志们:`)
INDENT_NAME_OFFICE = "长席记任理"
# or the salutation the copy ran into it (`市长　　许勤各位代表：`: the byline's <br> lost as well)
INDENT_NAME = re.compile(
    r"(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff·]{1,12})"
    rf"(?:(?![\u4e00-\u9fff])|(?=(?:{vocab.SALUTATION_WORDS})[^。]{{0,30}}[:：!！,，]))"
)
# The end of an outline heading that continues the page's outline (_split_glued_headings) and runs into its
# paragraph on one line: a markdown bold span's close (`**一、2012年工作回顾**2012年，是…`: normalize drops the `**`,
# the heading's end with it), or a space after HEADING_SPACE_MAX characters or fewer of unpunctuated heading text
# (`一、2012年工作回顾 2012年，是…`) when the line's rest holds a sentence end (a heading alone on its line may hold a
# space: `（一）推动 “十项工程”建设，培育一批支柱产业`). Headings of the shared corpus: 98 % are at most 40 characters
# (HEADING_SPACE_MAX).
# (the close followed by text, not by punctuation: `**（一）…**。` ends its sentence there)
HEADING_BOLD_CLOSE = re.compile(r"(?:\*\*)?[^。！？；!?;*\n]{1,60}?\*\*(?=[ \t\u3000]*+[^\s*。，、；：！？）”,.;:!?)])")
HEADING_SPACE_MAX = 40
HEADING_SPACE = re.compile(r"[ \t\u3000\u00a0]*+[^。！？；!?;\s]{1,40}?[ \t\u3000\u00a0]++(?=[^\s*#])")
# Or, with no mark at all (`一、2024年经济社会发展总体要求和政策取向今年是…`), where the paragraph's first sentence opens
# on a word a report's paragraphs open with and a heading never ends on: a time word and its comma or 是 (`今年是`,
# `刚刚过去的2025年，`, `五年来，`, `2023年是`, `当前，`, `新的一年，`, `“十四五”时期，`) or the salutation (`各位代表！`); the heading before it is
# 4-40 characters of no sentence end, not ending on a word that takes the time word as its object (`回顾过去的2023年，`)
# Or on a word a paragraph opens with and no heading holds after its first words: a preposition that frames the
# paragraph (`按照`, `根据`, `面对`, `围绕`), `今年要/将/重点`, or the first of its enumerated points (`一是`). Measured on
# the shared corpus: of the grouped layout's headings glued to their paragraphs, 83 end right before one of these and
# none elsewhere; they occur inside none of its 4,917 headings that stand alone nor of 5,751 run-in headings
# (`（一）强力推进改革开放。…`). Neither follows a comma or an adverb that takes it (`新年伊始，面对`, `严格按照`,
# `紧紧围绕`, `要按照`, `继续按照`, `我们围绕`, `老根据地`): those are inside a sentence, no paragraph's start.
# Or on a clause that opens with what an outline heading (an imperative phrase) never holds after its first words
# (HEADING_CLAUSE): its subject (`我们要/将/坚持/必须/始终`, `这是`, `本届政府`, `各级政府`), a 把 construction after a
# word of stance (`坚持把`, `始终把`), a conjunction that opens a clause (`只有…才`, `如果`, `虽然`, `因为`; a real doc
# site's copy: `一、深刻把握形势任务，树牢抢抓机遇的进取意识只有正视不足才能精准发力`), `当今` (`当今世界…`) or a
# paragraph's stock opening (`大力发展`, `大力提振`, `全面落实`, `坚定不移`, `多措并举`, `认真贯彻`), not after 须
# (`必须大力发展`) or a dash (`改革——我们的…`). Measured on the shared corpus's grouped layout: 105 of its 1,672
# headings run into their paragraphs end right before one of these, none is cut elsewhere, and none of the 10,220
# `一、`/`（一）` headings of its pages as given (alone or run-in) holds one past its first four characters (a heading
# opening on one, `坚定不移推进改革`, is read from its fifth).
# Or (session 51) on a time phrase that frames the paragraph and its comma (`今年以来，`, `近年来，`, `去年，`, `上半年，`,
# `目前，`: real doc-site copies, `一、进一步深化认识今年以来，我区…`; without it the clause opener further on cut such
# a heading after the phrase, `…常抓不懈今年以来，全区上下` / `认真贯彻…`), or on the period a report's part heading
# names, right after its part word (`2019年政府工作任务今年经济社会发展任务重`, `2018年工作回顾过去一年，`,
# `…工作安排2014年，`; 回顾 only after 年/”/作: `认真回顾过去五年的工作` holds its object). A year may be typeset with
# a space (`2003 年工作的主要任务今年是…`: the heading read up to the space had stopped there). Measured on the shared
# corpus: none of the 10,817 `一、`/`（一）`/`1.` headings of its pages as given holds one of these where the pattern
# reads (the same two false cuts as before: `谋篇布局“十四五”，…`, a resolution's `在《报告》第8页…`); the grouped
# layout's run-on headings 1,658 -> 1,629.
# Or (session 51) right after the noun a heading of understanding ends on (`深刻认识…的极端重要性`, `准确把握…的重大意义`:
# 意义, 重要性, 必要性, 紧迫性) when a Han character follows that does not go on with it (和/与/及/并, 在/是/的/所,
# 不/认/上/中/方, 而/也/就/更/仍/还): real doc-site copies (sanweiyuan.com `…的极端重要性营商环境是一个地方…`,
# wtabcd.cn `…的重大意义市委、市政府旗帜鲜明地提出…`).
HEADING_CLAUSE = (
    r"我们(?:要|将|坚持|必须|始终)|这是|(?:本届|各级)政府|(?:坚持|始终)把"
    r"|只有|唯有|只要|如果|虽然|尽管|因为|由于|无论|当今"
    r"|大力(?:发展|提振)|全面落实|坚定不移|多措并举|认真贯彻"
)
HEADING_OPENER = re.compile(
    r"(?:[^。！？；：!?;:\s*]|(?<=\d)[ \t]){4,40}?(?<![的在和与及对于从到至是将为把格紧要续们地，、,自])"
    r"(?=(?:今年|(?:刚刚)?过去的?(?:[一五十]年|(?:19|20)\d\d年)|[一二三五十]年来|(?:今后|未来)(?:一个时期|五年)|新的一年|当前"
    r"|(?:19|20)\d\d[ \t]?年(?:以来)?|“十[一二三四五六七]五”(?:时期|期间)?)[，,是]"
    r"|(?:(?:今年|去年|年初|近年|近几年|多年|长期|近期|近一个时期|一个时期|近段时间|上半年)以来|近年来|近几年来?|多年来"
    r"|去年|上半年|前三季度|一季度|目前|近期)[，,]"
    r"|(?:(?<=意义)|(?<=[要必紧迫]性))(?=[\u4e00-\u9fff])(?![和与及并在是的所不认上中方而也就更仍还])"
    r"|(?:(?<=[年”作]回顾)|(?<=任务|安排|工作|成就|要求|成效))(?:今年|去年|过去|刚刚过去|(?:19|20)\d\d[ \t]?年|“十[一二三四五六七]五”)"
    r"|各位代表[，！!：:]|按照|根据(?!地)|面对|围绕|今年(?:要|将|重点)|一是"
    r"|(?<![须—])(?:" + HEADING_CLAUSE + "))"
)
# A PDF's text copied out with its fixed-width wraps turned into spaces (a doc site's preview: `…凝心聚力、加 快发展的
# 一年，也是…取得突 破性进展的一年`): a space between two Han characters where the print line ended, inside words. The
# page's such spaces stand a print line's width apart (27 and 31 characters on two real doc-site previews), or a
# multiple of it where a wrap fell next to punctuation (that space goes already): when SPACE_WRAP_GAPS_MIN+ gaps
# between them on the page's lines have a median width of SPACE_WRAP_WIDTH_MIN..MAX characters and
# SPACE_WRAP_SHARE of them are within SPACE_WRAP_SLACK of a multiple of it, every such space of the page goes
# (normalize._join_space_wraps). Spaces a page sets between names or keywords stand a few characters apart; a byline's
# one space has no gap to measure.
SPACE_WRAP_BETWEEN = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
SPACE_WRAP_GAPS_MIN = 3
SPACE_WRAP_WIDTH_MIN = 15  # narrower than any printed page's line of Chinese text
SPACE_WRAP_WIDTH_MAX = 60  # a landscape page's line
SPACE_WRAP_SLACK = 2  # a line's width varies by a character or two with its punctuation
SPACE_WRAP_SHARE = 0.8
SPACE_WRAP_MULTIPLES = 4  # a run of wraps that fell next to punctuation
# A `一、` heading has no sentence end, so a copy that joined it to the first heading of the level below leaves no mark
# between them (`二、2026年主要任务（一）扩大有效需求。…`: GLUED_HEADING finds none, and the `（一）` run is lost with its
# heading, session 49's grouped layout: 23 such pairs). The bracket numeral within HEADING_SPACE_MAX characters of
# the heading's marker, with no sentence end, colon or bracket before it, is that heading
# (normalize._split_glued_headings breaks before it when it continues the outline: `（一）` after a `一、`).
HEADING_THEN_NESTED = re.compile(
    r"[ \t\u3000*#]*[^。！？；：!?;:\n（()）]{2,40}?[ \t\u3000*#]*(?P<mark>[（(]([一二三四五六七八九十]{1,3})[）)])(?=[^\s。；，、）)])"
)
# `（**三）…**`: a copy opening its bold inside the bracket (云南 2005) is a heading too, as it is once the stars go
LINE_HEADING = re.compile(
    r"[ \t\u3000*#]*(?P<mark>([一二三四五六七八九十]{1,3})、|[（(]\*{0,2}([一二三四五六七八九十]{1,3})[）)])"
)
# The third level of a report's outline, `1.`/`1．`/`1、` (extract_sections' `1.` style), glued after a sentence's end
# (`…高1.5个百分点以上。2、加强保障性住房建设。落实…`) or standing at a line's start: read by
# normalize._split_glued_headings as the two styles above are, so a `1.` run continues where a copy joined its
# headings into the paragraphs (grouped layout: 565 of 16,419 section rows of the shared corpus were `1.` headings
# lost so). Its number holds no decimal point or list of numbers after it (`8.5%`, `3、4月份`). Inline lists
# (`：1.加强…；2.改善…`) have their items close together or after `；` and stay, as the other styles' do.
LINE_DECIMAL = re.compile(r"[ \t\u3000*#]*(?P<mark>(\d{1,2})[.．、](?![\d.．、%％]))")
GLUED_DECIMAL = re.compile(
    r"[。！？：；!?:;](?:\*\*)?[ \t\u3000]*(?:\*\*|#{1,6}[ \t]*)?(?P<mark>(\d{1,2})[.．、](?![\d.．、%％]))"
)

# A line break written as OOXML's escape of a control character (`_x000D_` for CR, `_x000A_` for LF): text that went
# through a spreadsheet (openpyxl and Excel write a cell's CR so, and a reader that does not unescape keeps it) arrives
# as one line with `_x000D_ _x000D_` between its paragraphs (a real blog's copy of a CNS report: `…蒋涛_x000D_ _x000D_
# “你们辛苦了…”_x000D_ _x000D_ 25日上午，…`). Read as the break it stands for (normalize_text, before the lines are
# split; the page is searched only when it holds the literal `_x000`).
XML_ESCAPED_BREAK = re.compile(r"_x000[DdAa]_")

# A forum's anti-copy junk: Discuz! (the software of most Chinese forums) writes a random string at every line break
# of a post (source/function/function_discuzcode.php, `jammer()`: 5-15 pairs of one character of chr(32..59) — space,
# ASCII punctuation or a digit —, a space and one character of chr(63..126) — a letter or one of ?@[\]^_`{|}~), hidden
# from the reader by `<font class="jammer">` or `display:none`. A copy taken from the page's text keeps it at the end
# of each line, or where the line break was when the copy lost its breaks (`一、去年工作回顾+ v% [0 P+ _; u3 {$ y9 r去年…`:
# the heading hidden). A run of 5+ such pairs, 4+ of them opening on punctuation or a digit (a space stands for the
# first character in 1 pair of 28; a copy that folds spaces keeps one), is that string and nothing a speech holds:
# Latin in speeches is words and codes (GDP, PM2.5, 5G, APEC, URLs) with no space after each letter. Removed, and the
# line broken where it stood (normalize._forum_jammer). Two strings can meet where a copy lost a break (30 pairs). A
# page is searched only where JAMMER_GATE finds two pairs, read from a space (a literal: the engine skips from space
# to space; the 681 pages of the shared corpus, 12.2 M characters: 7 ms, no hit; a class first would cost 14x); a copy
# whose spaces are no-break spaces is tried when it holds one (JAMMER_GATE_NBSP).
# A copy that turned a string's leading space pair into its line break starts the next line on that pair's letter
# (a real Discuz thread: `…权威性。8 d, e/ k! s# j+ Y1 m` / `g0 ^3 R& t2 [( X* m`): a line may open on it.
JAMMER = re.compile(r"(?:^[?-~](?=[!-;][ \u00a0]))?(?:[!-;\u00a0 ]?[ \u00a0][?-~]){5,30}(?![A-Za-z])")
JAMMER_GATE = re.compile(r" [?-~][!-;] [?-~]")
JAMMER_GATE_NBSP = re.compile(r"\u00a0[?-~][!-;]\u00a0[?-~]")
JAMMER_PAIR_OPENING = re.compile(r"[!-;](?=[ \u00a0][?-~])")
JAMMER_OPENINGS_MIN = 4  # pairs opening on punctuation or a digit (Discuz draws 27 of 28 so)

# A doc site's watermark inside the text (its anti-copy and ad lines that a copy keeps glued to a paragraph): a
# bracketed ad naming a messaging channel (`…有待进一步增强。【更多公文素材，微信：dada wk01】`), a channel's label and
# handle as a sentence of its own (`公众号：笔杆子星域。`, `关注公众号：…`), and the site's own name and address with junk symbols typed between
# its Han characters so that search engines do not match it (`二心语文}创%素材[库：https://www.xinyuwenchuang.cn/。`:
# the symbol between two Han characters is what no speech holds; a speech's `%` follows a digit, its `*` blanks a
# name and is not matched). Cut from the line (normalize._watermarks), the rest kept; a line is looked at only when
# it holds `】` or `://` or `号：`/`号:` (WATERMARK_GATE). A speech naming its own 公众号 (`开通政务微信公众号，…`) has
# no label colon after it and no brackets: kept (SPEECH_SAMPLES).
_JUNK_SYMBOL = r"[}{@#$^~|%\[\]]"
WATERMARK = re.compile(
    r"【[^【】\n]{0,40}?(?:微信|公众号|QQ|qq|VX|vx)[^【】\n]{0,40}?】"
    r"|(?:(?<=[。！？!?])|^)(?:微信|关注|搜索)?公"
    + _JUNK_SYMBOL
    + r"?众"
    + _JUNK_SYMBOL
    + r"?号[：:][^。！？!?\n【】]{1,20}[。！]?"
    r"|(?:(?<=[。！？!?])|^)[^。！？!?\n]{0,30}?[\u4e00-\u9fff]" + _JUNK_SYMBOL + r"[\u4e00-\u9fff][^。！？!?\n]{0,30}?"
    r"https?://[!-~]+?(?:。|$)"
)
WATERMARK_GATE = re.compile(r"】|://|号[：:]")

# A PDF's page footer left inside a line by a copy that joined its pages (`…强调三个问题。 第1页共 17 页`, Tencent
# wenku; `…今 第2页共18页 年4月份…`; `…工作。 - 3 - 二、…`): cut from the line, its text kept (session 50's left-alone
# list: only a footer alone on its line was removed). The footer stands apart, spaced off or at the line's end (`本书共
# 200页，第3页有…` is text); the dashed page number only after a sentence's end (`增长 - 3 - 个百分点` is text).
INLINE_PAGE_MARK = re.compile(
    r"(?:(?<=\s)|^)\s*(?:第\s*\d{1,4}\s*页\s*/?\s*共\s*\d{1,4}\s*页|共\s*\d{1,4}\s*页\s*/?\s*第\s*\d{1,4}\s*页)(?=\s|$)\s*"
    r"|(?<=[。！？；”」）)])\s*[-－]\s?\d{1,3}\s?[-－]\s+(?=[^\d\s])"
)

# The label of the glossary a report ends with (`名词解释`, `《政府工作报告》名词注释`, `附注：`; extract_structure's
# GLOSSARY_HEAD_RE reads it on a line of its own) glued after the speech's last sentence by a copy that joined its
# paragraphs (`…不懈奋斗！名词解释` then `1．票根经济：指…`, or `…不懈奋斗！名词解释1．票根经济：…`): broken off
# before and after when its first numbered entry follows (normalize._split_glued_glossary), so the entries are read
# as the glossary and not as the outline (grouped layout of the shared corpus: 9 reports' glossaries, ~390 entries
# read as sections once `1.` runs were split).
# The annex line a report may print above it (`附件1`) is broken off too; a markdown copy bolds the label.
GLOSSARY_GLUED = re.compile(
    r"[。！？!?”][ \t\u3000]*(?P<annex>(?:\*\*)?附件[\d一二三]?(?:\*\*)?)?"
    r"(?P<label>(?:\*\*)?(?:《[^》\n]{2,12}》)?[^\n，。！？；：!?“”*]{0,8}(?:名词|术语)?(?:解释|注释|注解|附注)(?:和说明)?[:：]?"
    r"(?:\*\*)?)"
    r"(?=$|[ \t\u3000]*(?:\d{1,2}[.．、]|[（(\[［]\d{1,2}[）)\]］]))"
)
GLOSSARY_WORDS = ("解释", "注释", "注解", "附注")  # one of them is in every GLOSSARY_GLUED match: the pass's gate

# A table of contents printed above a report (a doc site's or a PDF's `目录`): its outline headings one a line, with
# dotted leaders and page numbers or without, each repeated in the body below, where it opens the section
# (normalize._table_of_contents). Read as speech it makes the outline start twice: extract_sections kept the
# contents' run and dropped the body's repeats, and the figures' section paths followed it (bench/reflow.py
# `toc_top`: 19 % of the section rows of the first 40 pages kept). An entry is an outline heading of at most
# TOC_ENTRY_MAX characters with no sentence end (the longest first-level heading of the shared corpus has 58; the
# leaders and page number after it not counted); a run of TOC_MIN_ENTRIES+ of them starting within the page's first
# TOC_HEAD_LINES non-empty lines is a table of contents when each entry opens a later line of the page, or the
# entries end in leaders and page numbers (chrome whatever they repeat).
TOC_ENTRY = re.compile(
    r"(?P<entry>(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|第[一二三四五六七八九十]{1,3}[章部节])"
    r"[^。！？；!?;]{1,60}?[。；]?)(?P<page>(?:[.…·．—_-]{2,}|\s+)\d{1,3})?\s*$"
)
TOC_TITLE = re.compile(r"\s*目\s*录\s*[:：]?\s*$")
TOC_MIN_ENTRIES = 2
TOC_MAX_ENTRIES = 80  # a report's contents list its parts and sections: the longest shared-corpus outline has 64
TOC_HEAD_LINES = 60  # a table of contents starts within the page's first 60 non-empty lines (head chrome included)
# and above the speech's paragraphs: a line this long (a head's chrome lines and a doc site's intro note are
# shorter; 53 % of the shared corpus's lines of 40+ characters are longer) ends the search
TOC_BODY_LINE = 200

# Wikisource licence template at the end of a page (本作品是中华人民共和国的法律、法规… / 本作品来自…的决定、决议 /
# 这部作品在1931年1月1日以前…), fragmented over short lines, ending `Public domain` / `false`.
LICENCE_START = re.compile(r"(?:本作品|这部作品)(?:是|来自|在|于|属于|原文|已|的)")
LICENCE_PROOF = re.compile(r"公有领域|Publicdomain|维基文库|publicdomain")
LICENCE_WINDOW = 120  # the template is the page's last 20-60 non-empty lines
LICENCE_LINE_MAX = 120  # key chars of one template line; a longer line in the block is speech: no template there
LICENCE_SPAN_MAX = 1500  # a template glued to the end of a joined line is at most this long

# Page title with a site suffix on the first line (…的重要讲话 - 嘉峪关论坛 广州公益慈善书院).
PAGE_TITLE_SUFFIX = re.compile(r"^.{6,}?\s+[-_|–—]\s+\S.{1,40}$")

# Truncation notices of doc-sharing sites (因篇幅问题不能全部显示,请点此查看更多更全内容; pinyin may be injected).
TRUNCATION = vocab.TRUNCATION_NOTICE_RE

# Short head lines that are search keywords of the page (2023 / 区长 / 互学互 / 汇报会 / 致辞).
KEYWORD_LINE = re.compile(r"[" + HAN + r"A-Za-z0-9]{1,6}$")
# a greeting's own title set in spaced letters under its banner (`新` / `年` / `快` / `乐` / `元 旦 献 词`): the title,
# never a keyword, though its key is as short
GREETING_TITLE_KEY = re.compile(r"(?:新春|新年|元旦|春节|开幕|闭幕|欢迎|答谢)(?:献词|贺词|致辞|致词)$")
# A greeting's subtitle run into the text after its slogan title (bhxqrd: `逐光而进共赴新程——代2026年新年献词2026年的
# 第一缕曙光…`): the line is broken around it, within GREETING_SUBTITLE_CHARS of its start.
GREETING_SUBTITLE = re.compile(
    r"(?:——|--|──)\s*(?:代)?(?:\d{4}年|[一二三四五六七八九〇零]{4}年)?[^，。；：:—\s]{0,10}?(?:献词|贺词|致辞|致词)"
)
GREETING_SUBTITLE_CHARS = 60
KEYWORD_RUN = 3

# --------------------------------------------------------------------------- learned boilerplate guard
# Formulaic speech lines recur across a site's documents but are speech, never chrome.
FORMULAIC = re.compile(
    r"(?:各位|尊敬的|亲爱的|同志们|女士们|先生们|朋友们|同学们|老师们|代表们|委员们|来宾们)"
    r"|谢谢|致以|祝(?:大家|各位|愿)|最后|我(?:们)?|代表|同志"
    r"|^(?:[一二三四五六七八九十]+[、，.]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|第[一二三四五六七八九十]+[，、是部章节条])"
    r"|(?:报告|讲话|致辞|发言|决议|公报|说明|纲要|提纲)[）)]?$"
)

# --------------------------------------------------------------------------- damage flags (on final text)
# ×月×日 / 20xx年 / XX县区 / X区长 / 某某 / -×%
PLACEHOLDER = re.compile(vocab.PLACEHOLDER)  # a match preceded by a Latin letter (Max年) is a word: filtered in code
PLACEHOLDER_START = re.compile("[" + re.escape(vocab.PLACEHOLDER_FIRST) + "]")  # where a PLACEHOLDER match may open
STAR_PLACEHOLDER = re.compile(vocab.STAR_PLACEHOLDER)  # stars normalize's markdown pass keeps (`20**年`, `在**市委`)
STAR_PLACEHOLDER_GATE = re.compile(vocab.STAR_PLACEHOLDER_GATE)  # in every STAR_PLACEHOLDER match; opens on its `*`

# Words swapped by anti-plagiarism spinners, detected by contexts no writer produces.
SPUN = re.compile(
    r"(?:经济|科学|转型|跨越|可持续|协调|区域|城乡|产业)开展(?=[，。；、的和与]|$)"
    r"|大开展(?=大|、|，)|开展(?:速度|动力|思路|理念|潜力|前景|态势|机遇|成就|趋势|格局|步伐|势头|的速度)"
    r"|(?:公共|优质|社会|政务|综合|便民|贴心|周到|金融|法律|医疗)效劳|效劳(?:业|中心|体系|水平|意识|质量|功能|平台|型|站|设施|企业|群众)"
    r"|(?:原|否|规|准|细|实|法)那么(?![多少样大小快慢])"
    r"|(?:^|[，。；：！？、“])[" + HAN + r"]那么[" + HAN + r"](?=[，。；！？])"
    r"|到达(?:了)?[" + HAN + r"]{0,6}(?:目的|目标|水平|标准|要求|效果|程度)"
    r"|(?<![完形达促组变构生养造合])成认(?![定证识购知])"
    r"|(?:^|[，。；：！？])比方(?![说是])"
    # 项目→工程: 工程 is a real word (重点工程, 民生工程, 水利工程, 重点工程建设, 实事工程落地见效), so only contexts
    # where no construction work is meant: 具体工程 (not 具体工程项目), 具体工作工程, 招商/签约/储备/谋划 a project,
    # a verb right before 工程落地 (推动工程落地; 重大工程落地 stays), 落在工程上, a bare clause 工程还不够多.
    r"|具体(?:工作)?工程(?!项目|师|技术|措施|建设|质量)|工作工程(?![师化])"
    r"|招商工程|工程签约|签约工程|工程储备|谋划工程|工程谋划|招引工程|工程招引|在谈工程|洽谈工程|工程入库|入库工程"
    r"|引资工程|外资工程|(?:推动|推进|促进|加快|确保|保障|促成|实现)工程落地|(?:落在|落到|落实到)工程上"
    r"|(?:^|[，。；：！？])工程(?:还|也)?不够多"
    # 体现→表达: 表达 is natural for opinions and feelings (表达诉求, 表达权, 充分表达对祖国的…, 表达了学生…的心声),
    # so only contexts where something abstract is embodied: 表达公开、公平、公正, 充分表达了 + a principle
    # (理念, 宗旨, 优越性 …; not 充分表达了…的心声), 主要表达在, 的具体表达。
    r"|表达(?:公开|公平|公正)"
    r"|(?:充分|集中|具体|生动|重要|真正|全面|更好地?)表达了(?=[^，。；]{0,14}(?:原则|理念|宗旨|优越性|导向|本质|规律|方针|发展思想))"
    r"|(?:主要|集中|具体|充分|突出)表达在|(?:具体|生动)表达(?=[。，；]|$)",
    re.M,
)

# 市government: a lowercase English word glued to Chinese (the Han neighbour is checked in code).
LATIN_RUN = re.compile(r"[A-Za-z]+")
FOREIGN_MIN_LEN = 4
FOREIGN_OK = frozenset({"wifi", "http", "https", "html", "email"})
SPUN_TRIGGER = re.compile(vocab.SPIN_TRIGGER)
# How far a SPUN match, and what its lookarounds read, reach from the trigger word it holds: before, at
# most 3 characters (可持续开展, 更好地表达了); after, 19 (表达了 + a 14-character gap + 发展思想), plus 3
# for a trigger that overlaps the one SPUN_TRIGGER found (its occurrences are non-overlapping).
# Rounded up: a wider window costs nothing measurable.
SPUN_REACH_BEFORE, SPUN_REACH_AFTER = 8, 32


def spun_spans(text: str) -> list[tuple[int, int]]:
    """The spans of `SPUN.finditer(text)`, searched only around the trigger words every match holds.

    The whole-text scan tries SPUN's ~60 alternatives at every position: ~4 ms per 37 KB speech, 0.54 of
    the 5.6 CPU-s of the 20k bench's +1 % repair parts (session 40). Every match lies within the reach
    of one of its trigger's occurrences, so windows around the occurrences, merged where they touch,
    hold every match; the text between windows holds none. A window is searched with endpos at its
    end, where it behaves as the whole text would: nothing that starts inside it reads past its end
    (SPUN_REACH_AFTER), and `^` and lookbehinds see the real text before `pos`."""
    out: list[tuple[int, int]] = []
    n = len(text)
    lo = hi = -1
    for m in SPUN_TRIGGER.finditer(text):
        start, end = max(0, m.start() - SPUN_REACH_BEFORE), min(n, m.end() + SPUN_REACH_AFTER)
        if start > hi:
            if hi > lo:
                out.extend(x.span() for x in SPUN.finditer(text, lo, hi))
            lo = start
        hi = max(hi, end)
    if hi > lo:
        out.extend(x.span() for x in SPUN.finditer(text, lo, hi))
    return out


# For the two common triggers, what each of SPUN's alternatives built on it needs right before or after it
# (normalize._count_spun skips a lone trigger with neither): (words ending just before, words starting just after).
# Keep in step with SPUN; tests/test_normalize.py checks _count_spun against the unfiltered search.
SPUN_CONTEXT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "开展": (
        ("经济", "科学", "转型", "跨越", "可持续", "协调", "区域", "城乡", "产业", "大"),
        (
            "速度",
            "动力",
            "思路",
            "理念",
            "潜力",
            "前景",
            "态势",
            "机遇",
            "成就",
            "趋势",
            "格局",
            "步伐",
            "势头",
            "的速度",
        ),
    ),
    "工程": (
        ("具体", "工作", "招商", "签约", "谋划", "招引", "在谈", "洽谈", "入库", "引资", "外资"),
        ("签约", "储备", "谋划", "招引", "入库", "落地", "上", "不够多", "还不够多", "也不够多"),
    ),
}

# A place name cut out of a template: a clause starting with 的 (“的城市管理), 对来讲, 把当作 …
REDACTED_TRIGGERS = (*(p + "的" for p in "\n，。；：！？“、"), "对来", "把当", "在召开", "就是的")
REDACTED = re.compile(
    r"[\n，。；：！？“、]的(?![确士])(?=[" + HAN + r"])"
    r"|(?<!相)对来(?:讲|说)|把(?:当作|当成)|(?:会|争取)在召开|就是的"
)


# =========================================================================== rule registry
# Every rule name normalize_text can write into `rule_counts` / `removed_lines.rule`, why it exists, and an input it
# fires on. docs/rules.md is generated from this list (`python -m tasks.normalize_rules > docs/rules.md`); a test runs
# each example through normalize_text, and checks no rule fires on speech (SPEECH_SAMPLES).


@dataclass(frozen=True)
class Rule:
    name: str
    why: str
    example: str  # a page (fragment) the rule fires on
    boilerplate: tuple[str, ...] = ()  # learned site chrome passed to normalize_text with the example


_SPEECH = "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。\n"

# a paragraph printed 27 characters a line (layout.space_wrap's example: its wraps joined with spaces)
_WRAPPED_EXAMPLE = (
    "即将过去的一年，是我镇解放思想、凝心聚力、加快发展的一年，也是破除万难、创新机制、农业工作取得突破性进展的一年。"
    "今天我们召开这次全镇农业工作会议，旨在深入学习贯彻党的十七届三中全会和经济工作会议精神，认真总结我镇的农业工作，"
    "分析当前形势，理清思路，科学部署明年农业工作。"
)
RULES: tuple[Rule, ...] = (
    Rule(
        "chrome.consent",
        "a site asking consent to its privacy terms for a feature (CNA's listen button), in the site's own 我们",
        "請同意我們的隱私權規範，才能啟用聽新聞的功能。\n" + _SPEECH,
    ),
    Rule(
        "frontmatter.delimiter",
        "YAML front matter of markdown copies is page metadata; unclosed (--- lost or damaged), only --- and the key: lines after it",
        "---\ntitle: 政府工作报告\n---\n" + _SPEECH,
    ),
    Rule(
        "frontmatter.title",
        "front-matter title: kept in removed_lines for extract's page title",
        "---\ntitle: 政府工作报告\n---\n" + _SPEECH,
    ),
    Rule(
        "frontmatter.source",
        "front-matter source URL (any `key:` line becomes frontmatter.<key>)",
        "---\nsource: https://www.hebei.gov.cn/a.html\n---\n" + _SPEECH,
    ),
    Rule(
        "frontmatter.field",
        "a front-matter line without a key (a YAML list item)",
        "---\n- 政府工作报告\n---\n" + _SPEECH,
    ),
    Rule(
        "markup.html_comment",
        "photo captions hidden in <!-- --> of gov-site markdown; an unclosed <!-- (--> lost) removes only its own line",
        "<!-- 王正谱作政府工作报告。河北日报记者 霍艳恩摄 -->\n" + _SPEECH,
    ),
    Rule("markup.image", "markdown image lines carry no text", "![](https://www.gov.cn/a.jpg)\n" + _SPEECH),
    Rule("markup.rule", "markdown horizontal rules", "政府工作报告\n---\n" + _SPEECH),
    Rule(
        "markup.bold",
        "markdown emphasis markers, paired or left unpaired by a line break",
        "**政府工作报告**\n**——2026年1月6日在武汉市第十五届人民代表大会第六次会议上\n代市长 熊征宇**\n" + _SPEECH,
    ),
    Rule(
        "markup.heading",
        "markdown heading markers (`## 一、` and `##（一）`)",
        "##（一）一九五七年经济战线上的胜利\n" + _SPEECH,
    ),
    Rule("markup.quote", "markdown block-quote markers", "> 现在，我代表市人民政府向大会报告工作。\n"),
    Rule("markup.link", "markdown links keep their text", "[政府工作报告](https://www.gov.cn/a.html)全文。\n"),
    Rule("markup.footnote", "markdown footnote references become [n]", "新型城镇化[^1]取得进展。\n"),
    Rule("markup.subscript", "PM_2.5 -> PM2.5", "PM_2.5平均浓度下降。\n"),
    Rule("chrome.breadcrumb", "site navigation path", "您的当前位置：首页 > 正文\n" + _SPEECH),
    Rule(
        "chrome.published_at",
        "page publication date line (extract reads it from removed_lines)",
        "发布时间：2021-03-25\n" + _SPEECH,
    ),
    Rule(
        "chrome.clock",
        "a site's running clock (date, clock and weekday): the day the page was read, never its date",
        "2018/12/28 上午9:27:28 星期五\n" + _SPEECH,
    ),
    Rule("chrome.source", "page source line (extract reads the site from it)", "来源：河北日报\n" + _SPEECH),
    Rule("chrome.clicks", "page view counter", "阅读量：1234\n" + _SPEECH),
    Rule("chrome.editor", "page editor credit", "编辑：何继红\n" + _SPEECH),
    Rule(
        "chrome.disclaimer",
        "doc-sharing site disclaimer",
        "导语:组织部长在季度总结大会讲话一文来源于网友上传,不代表本站观点,若需要原创文章可咨询客服老师,欢迎参考。\n"
        + _SPEECH,
    ),
    Rule(
        "chrome.download_notice",
        "doc-sharing site download notice and its numbered lines",
        _SPEECH
        + "温馨提示:\n1. 部分包含数学公式或PPT动画的文件,查看预览时可能会显示错乱或异常,文件下载后无此问题,请放心下载。\n",
    ),
    Rule(
        "chrome.toc",
        "a table of contents above the speech: outline headings each repeated below, or with leaders and page numbers",
        "政府工作报告\n目录\n一、2025年工作回顾……2\n二、2026年工作安排……5\n"
        + _SPEECH
        + "一、2025年工作回顾\n过去一年，我们做了很多工作。\n二、2026年工作安排\n今年要坚持稳中求进。\n",
    ),
    Rule("chrome.page_counter", "page counter of paginated copies", _SPEECH + "第8页 共8页\n"),
    Rule(
        "chrome.running_header",
        "a PDF page's running header (a short line standing alone 3+ times) after its first time",
        "政府工作报告\n各位代表：\n过去一年，全市经济运行\n- 1 -\n政府工作报告\n稳中有进，民生福祉明显改善。\n- 2 -\n"
        "政府工作报告\n今年要坚持稳中求进。\n- 3 -\n政府工作报告\n",
    ),
    Rule("chrome.toolbar", "page toolbar tokens (one per line or in a row)", "下载\n打印\n全屏\n收藏\n" + _SPEECH),
    Rule(
        "chrome.forum",
        "forum board statistics and post header",
        "今日: 434|昨日: 633|帖子: 2189450|会员: 163392\n" + _SPEECH,
    ),
    Rule("chrome.share", "share bar", _SPEECH + "分享到：\n"),
    Rule("chrome.related", "related-reports heading at the end of a page", _SPEECH + "相关报道：\n"),
    Rule(
        "chrome.tail", "link titles below a related-reports heading", _SPEECH + "相关报道：\n河北省政府工作报告解读\n"
    ),
    Rule(
        "chrome.page_title",
        "first-line <title> with a site suffix",
        "长城区区长在社会管理创新暨城乡一体化建设工作推进会议上的重要讲话 - 嘉峪关论坛 广州公益慈善书院\n" + _SPEECH,
    ),
    Rule(
        "chrome.repeated_title",
        "a header line the page shows twice: the earlier (page) copy goes, the later stays",
        "政府工作报告\n政府工作报告\n" + _SPEECH,
    ),
    Rule(
        "chrome.keywords", "a run of search-keyword lines in the head", "2023\n区长\n互学互\n汇报会\n致辞\n" + _SPEECH
    ),
    Rule(
        "chrome.info_table",
        "a government site's document or disclosure info table (索引号, 发文机关, 成文日期, 发文字号, 发布机构 …) as table "
        "rows, gov.cn's and a county's (cells joined by |)",
        "| 发文机关： | 国务院办公厅 | 成文日期： | 2024年01月11日 |\n| 发文字号： | 国办发〔2024〕1号 | 发布日期： | 2024年01月15日 |\n"
        "索 引 号：| 0000/2021-00066 | 主 题 词：| 政务公开 |\n文 号：| 发布机构：| 某县某镇 | 发布日期：| 2021-02-27 |\n"
        + _SPEECH,
    ),
    Rule(
        "chrome.photo_caption",
        "photo captions: short and signed by a photographer or agency",
        "王正谱作政府工作报告。本报记者 霍艳恩摄\n" + _SPEECH,
    ),
    Rule(
        "chrome.licence",
        "wikisource licence template at the page end",
        _SPEECH + "本作品是中华人民共和国的\n法律\n、\n法规\n，属于\n公有领域\n。\nPublic domain\nfalse\n",
    ),
    Rule(
        "chrome.page_jump",
        "print-edition page jumps inside a paragraph",
        "泉州迎宾馆投入使用，（下转第二版）上接第一版）金浦水厂建成。\n",
    ),
    Rule(
        "chrome.table_title",
        "the title row of a disclosure table: extract reads it as the page title",
        "标 题：| 某镇2021年政府工作报告 |\n" + _SPEECH,
    ),
    Rule(
        "chrome.labelled_title",
        "a doc site's label repeating the title (文章标题：/本文标题：); extract reads the title from it",
        "文章标题：在全县经济工作会议上的讲话\n" + _SPEECH,
    ),
    Rule(
        "chrome.intro",
        "a 范文 site's introduction or a doc site's editor's note before the speech",
        "下面是小编为大家整理的在全县经济工作会议上的讲话，供大家参考。\n" + _SPEECH,
    ),
    Rule(
        "chrome.paywall",
        "a 范文 site's reward and login prompts around its paywall",
        _SPEECH + "如果喜欢本篇内容，请赞赏鼓励哦！\n尚未有人赏赞，赶紧来一个吧\n¥8.88\n",
    ),
    Rule(
        "truncation.notice",
        "doc-sharing truncation notice (any script, pinyin inside); sets flags.truncated",
        _SPEECH + "因篇幅問題(tí)不能全部顯示,请点此查看更多更全内容\n",
    ),
    Rule(
        "learned.boilerplate",
        "a line in >= 30 % of a site's pages (learn_boilerplate; copies of one speech count once), never formulaic speech",
        "本站声明：转载请注明出处\n" + _SPEECH,
        ("本站声明：转载请注明出处",),
    ),
    Rule(
        "layout.escaped_break",
        "a line break written as OOXML's escape (`_x000D_`, `_x000A_`: text that went through a spreadsheet) is a break",
        "过去一年，经济稳中有进。_x000D_ _x000D_ 今年要稳增长，扩大内需。_x000D_\n",
    ),
    Rule(
        "chrome.forum_jammer",
        "a forum's anti-copy string (Discuz's jammer: 5-15 pairs `x Y` of random ASCII) at each line break of a post "
        "is removed; where the copy lost the break, the line is broken there",
        "一、去年工作回顾+ v% [0 P+ _; u3 {$ y9 r去年，全市地区生产总值增长百分之六。8 ]( X. a3 q, L\n" + _SPEECH,
    ),
    Rule(
        "chrome.watermark",
        "a doc site's watermark glued into the text is cut: a bracketed ad naming 微信/公众号/QQ, a 公众号 label and "
        "handle, the site's name with junk symbols between its characters and its address",
        "二心语文}创%素材[库：https://www.example.cn/。公众@号：笔杆子星域。XX镇2023年政府工作报告\n"
        "各位代表：\n现在，我代表镇人民政府向大会报告工作。【更多公文素材，微信：dada wk01】\n",
    ),
    Rule(
        "chrome.garbled_preview",
        "a doc site's scrambled preview (characters drawn from a shuffled font's glyph table: mostly Han outside "
        "GB2312's first level) is removed and the page flagged `garbled`; a page left with too little is a "
        "`garbled` reject",
        "羀膈芅蒈袄肁莄蒇蚃羄莀蒆螆膀羃蒅袈莅芁蒄羀肈莆蒄，蚀袁肂薃螂肆莈薂袅罿芄薁羇膄肇薀。\n" + _SPEECH,
    ),
    Rule(
        "chrome.file_extension",
        "a doc site's file name on the page's first line (`…的讲话.docx`) is the title: its extension is cut, the "
        "title kept (chrome.related removed it whole)",
        "县长在全县经济工作会议上的讲话.docx\n" + _SPEECH,
    ),
    Rule(
        "fix.entity",
        "a character reference left in the text (a page escaped twice, a .txt of the source) is resolved as a browser "
        "does: HTML5's names, legacy ones like &nbsp &copy also without `;`, numbers",
        "人口自然增长率为6.5&permil;，&ldquo;两新&rdquo;政策&nbsp;落地。\n",
    ),
    Rule(
        "damage.unknown_entity",
        "a `&name;` no browser knows stays as it is and is counted",
        "推进&xyz;项目建设。\n",
    ),
    Rule("pinyin.injected", "区(qū)长: a reading injected after its character is dropped", "區(qū)長講話。\n"),
    Rule("damage.lost_chars", "bytes lost around injected pinyin or as ? become one U+FFFD", "秩序?qū)m?xiàng整治。\n"),
    Rule("script.t2s", "Lines in Traditional script converted to Simplified (OpenCC t2s)", "區長在會議上講話。\n"),
    Rule(
        "punct.ascii_to_cjk", 'ASCII , : ; ? ! ( ) " in Chinese text become Chinese punctuation', "发展,改革:开放。\n"
    ),
    Rule(
        "punct.digit_group",
        "a full-width comma between digit groups is a thousands separator",
        "收入14，328，144，000元。\n",
    ),
    Rule(
        "punct.odd_quotes",
        "〝〞 quote marks become “”; a 〞 that opens a quote closed later on its line (〞两新〞) is “",
        "〝两新〞政策。\n",
    ),
    Rule("punct.corner_quotes", "「」『』 become “”‘’", "「两新」政策。\n"),
    Rule("width.fullwidth_ascii", "full-width digits and letters become ASCII", "１９５５年。\n"),
    Rule(
        "space.strip",
        "indentation and trailing spaces of a line",
        "\u3000\u3000现在，我代表市人民政府向大会报告工作。\n",
    ),
    Rule(
        "layout.head_split",
        "a head whose line breaks were lost is broken again where chrome, title, dateline and byline meet",
        "下载打印全屏收藏2026年政府工作报告——2026年1月28日在云南省第十四届人民代表大会第四次会议上来源：云南日报\n"
        + _SPEECH,
    ),
    Rule(
        "layout.paragraph_split",
        "a page whose paragraphs arrived on one line (a PDF's text, <span>s, one <td>) is broken again into paragraphs",
        "各位代表： 现在，我代表市人民政府向大会报告工作，请予审议。 一、2025年工作回顾 "
        + "全年地区生产总值增长百分之六，城乡居民收入稳步提高，民生福祉明显改善。" * 80
        + "\n",
    ),
    Rule("space.around_punct", "spaces next to Chinese punctuation", "发展 ，改革。\n"),
    Rule("space.digit_han", "241 亿元 -> 241亿元", "完成投资241 亿元。\n"),
    Rule(
        "space.digit_split",
        "a number set apart digit by digit or split by a space (1 9 9 7年, 7 4 7 7 2亿元, 2 33亿元) is one number",
        "1 9 9 7年国内生产总值达到7 4 7 7 2亿元，新增1 2.2万人。\n",
    ),
    Rule("space.name_padding", "上海市市长 龚 正 -> 上海市市长 龚正", "上海市市长 龚 正\n"),
    Rule(
        "layout.title_wrap",
        "a title wrapped over two lines is joined",
        "在全区社会管理创新暨城乡一体化\n建设工作推进会议上的讲话\n",
    ),
    Rule(
        "layout.hard_wrap",
        "text wrapped at a fixed width is joined into paragraphs",
        "过去一年，全市经济运行稳中有进，地区生产\n总值增长百分之六，一般公共预算收入增长百\n分之五，城乡居民收入稳步提高，质量效益持\n续提升，创新动能不断增强，改革开放纵深推\n进，民生福祉明显改善，生态环境持续向好，\n社会大局和谐稳定，政府自身建设全面加强。\n",
    ),
    Rule(
        "layout.space_wrap",
        "a PDF's text whose fixed-width wraps became spaces has the spaces inside its words dropped",
        " ".join(_WRAPPED_EXAMPLE[i : i + 27] for i in range(0, len(_WRAPPED_EXAMPLE), 27)) + "\n",
    ),
    Rule(
        "layout.sentence_line",
        "a page set one sentence a line with a blank line between paragraphs (a WeChat copy) has its sentences joined "
        "into those paragraphs",
        "过去一年，经济稳中有进。\n民生福祉明显改善。\n\n今年要稳增长。\n要扩大内需。\n\n我们要改革创新。\n要攻坚克难。\n",
    ),
    Rule(
        "layout.broken_line",
        "a paragraph cut at inline markup is joined (…发展的 / 主要目标)",
        "今年经济社会发展的\n主要目标是：稳中求进。\n",
    ),
)

# Speech no rule may fire on: the openings, datelines and bylines of reports (quoted in issue 11) and body sentences
# that carry words chrome rules look for (记者, 来源, 相关, 下载, 工作报告).
SPEECH_SAMPLES: tuple[str, ...] = (
    "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。",
    "各位代表：现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。",
    "现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协各位委员提出意见。",
    "——2019年1月27日在广州市第十五届人民代表大会第二次会议上",
    "广州市市长 温国辉",
    "我们要支持新闻记者依法采访，保障人民群众的知情权。",
    "要用好政务微信公众号，推动政务公开。开通公众号，回应群众关切。",
    "我们要建设【智慧城市】平台，提升政务服务水平，网址https://www.gov.cn/。",
    "要拓宽资金来源，发展相关产业，推动下载量大的政务应用提质增效。",
    "过去一年，政府工作报告确定的主要目标任务全面完成。",
    "衷心感谢新闻记者朋友们的支持！",
)


def rules_markdown() -> str:
    """docs/rules.md: every normalization rule with why it exists and an input it fires on."""
    out = [
        "# Normalization rules",
        "",
        "Generated from `tasks/normalize_rules.RULES` — do not edit by hand "
        "(`python -m tasks.normalize_rules > docs/rules.md`).",
        "",
        "Each name appears in `rule_counts` of a document when the rule fired, and in `removed_lines.rule` for the "
        "lines (or spans) it removed. A rule that removes lines never removes one that reads as speech (long, "
        "a sentence, or a speech mark such as 我代表 / 各位代表) unless it recognised the whole line as chrome.",
        "",
        "| rule | why | fires on |",
        "|---|---|---|",
    ]
    for r in RULES:
        example = (
            (r.example.replace(_SPEECH, "\n").strip() or r.example.strip()).replace("\n", " ⏎ ").replace("|", "\\|")
        )
        if len(example) > 90:
            example = example[:90] + "…"
        out.append(f"| `{r.name}` | {r.why} | `{example}` |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
