"""The text catalogue: every UI string, Vietnamese first, then English.

t(key, lang, **fields) formats the string with str.format. Long texts (the Method
page) live in ui/content/*.md. Problem messages for uploads live in ui/problems.py.
"""

from __future__ import annotations

import re

TEXT: dict[str, tuple[str, str]] = {
    # --- app and navigation
    "app.title": ("Kịch bản xuất khẩu {province}", "{province} export scenarios"),
    "app.subtitle": (
        "Mục tiêu ({status}): tổng kim ngạch xuất khẩu {target} vào năm {year}",
        "Target ({status}): total exports of {target} by {year}",
    ),
    "app.subtitle_own": (
        "Mục tiêu đang xét, do người dùng đặt: {target} vào năm {year} (mục tiêu của bộ số liệu, {status}: "
        "{plan_target} vào năm {plan_year})",
        "Target under study, set by the user: {target} by {year} (the plan's target, {status}: {plan_target} by "
        "{plan_year})",
    ),
    "page.overview": ("Tổng quan", "Overview"),
    "page.risk": ("Rủi ro & độ nhạy", "Risk & sensitivity"),
    "page.compare": ("So sánh", "Compare"),
    "page.data": ("Dữ liệu", "Data"),
    "page.method": ("Phương pháp", "Method"),
    # --- sidebar
    "side.language": ("Ngôn ngữ / Language", "Ngôn ngữ / Language"),
    "side.growth": ("Tăng trưởng từng nhóm hàng (%/năm)", "Growth by sector (% a year)"),
    "side.covid": ("Cú sốc sau COVID-19", "Post-COVID-19 shock"),
    "side.target": ("Mục tiêu và thời gian", "Target and years"),
    "side.uncertainty": ("Độ bất định (mô phỏng)", "Uncertainty (simulation)"),
    "side.plan": ("Tỉnh và bộ số liệu", "Province and data"),
    "side.plan_help": (
        "Đổi tỉnh sẽ đặt lại mọi thanh trượt về mặc định của bộ số liệu đó.",
        "Changing the province resets every slider to that plan's defaults.",
    ),
    "entry.read": ("Đã đọc là {value}.", "Read as {value}."),
    "entry.clamped": (
        "«{text}» nằm ngoài khoảng cho phép: dùng {value}.",
        "“{text}” is outside the allowed range: {value} is used.",
    ),
    "entry.unreadable": (
        "Không đọc được «{text}» thành một số (ví dụ 2.800 hoặc 2.800,5): giữ giá trị {last}.",
        "“{text}” is not a number (e.g. 2,800 or 2,800.5): the value stays {last}.",
    ),
    "side.share": ("Chia sẻ kịch bản này", "Share this scenario"),
    "side.share_help": (
        "Sao chép liên kết (nút ở góc khung) và gửi: người nhận thấy đúng trang, ngôn ngữ và số liệu này.",
        "Copy the link (button in the box's corner) and send it: the recipient sees this page, language and numbers.",
    ),
    "side.plan_other": (
        "Đang dùng dữ liệu tải lên (mã {fingerprint}) CHƯA ĐƯỢC LƯU: người mở liên kết này sẽ thấy bộ dữ liệu "
        "gốc của {province}, không phải số liệu của bạn. Hãy lưu bộ dữ liệu ở trang Dữ liệu trước khi gửi.",
        "Using uploaded data (code {fingerprint}) that is NOT SAVED: whoever opens this link sees {province}'s "
        "bundled plan, not your figures. Save the dataset on the Data page before sending it.",
    ),
    "side.share_dataset": (
        "Liên kết mang theo bộ dữ liệu «{name}»: người mở nó trên máy chủ này thấy đúng các số liệu đó.",
        "The link carries the dataset “{name}”: whoever opens it on this server sees exactly these figures.",
    ),
    "save.with_data": ("Lưu cùng số liệu: {data}.", "Saved with its figures: {data}."),
    "save.data_unsaved": (
        "Số liệu đang dùng chưa được lưu: kịch bản vẫn lưu được, nhưng người khác chỉ xem được nó trên đúng số liệu "
        "này sau khi bạn lưu bộ dữ liệu ở trang Dữ liệu.",
        "The figures in use are not saved: the scenario can be saved, but others can only see it on these figures "
        "once you save the dataset on the Data page.",
    ),
    "save.unavailable": (
        "Chưa lưu được: kho không mở được (mã lỗi: {detail}); xem trang So sánh.",
        "Saving is unavailable: the store cannot be opened (error code: {detail}); see the Compare page.",
    ),
    # --- the figures a link, a scenario or an export names
    "data.name.bundled": (
        "{province} — bộ dữ liệu gốc đi kèm ứng dụng (mã {fingerprint})",
        "{province} — the plan bundled with the app (code {fingerprint})",
    ),
    "data.name.saved": ("bộ dữ liệu «{name}» (mã {fingerprint})", "the dataset “{name}” (code {fingerprint})"),
    "data.name.unsaved": (
        "dữ liệu bạn tải lên hoặc sửa, chưa lưu, chỉ trong phiên này — {province} (mã {fingerprint})",
        "data you uploaded or edited, not saved, this session only — {province} (code {fingerprint})",
    ),
    "data.short.bundled": ("{province}, bộ dữ liệu gốc", "{province}, bundled plan"),
    "data.short.saved": ("bộ dữ liệu «{name}»", "dataset “{name}”"),
    "data.short.missing": ("không có trên máy chủ này", "not on this server"),
    "data.missing.no_plan": (
        "số liệu làm cho bộ số liệu «{detail}», mà máy chủ này không có",
        "figures made for the plan “{detail}”, which this server does not have",
    ),
    "data.missing.deleted": (
        "bộ dữ liệu «{detail}» đã bị xóa (khôi phục được từ thùng rác ở trang Dữ liệu)",
        "the dataset “{detail}” was deleted (it can be restored from the bin on the Data page)",
    ),
    "data.missing.not_here": (
        "số liệu mã {detail} không được lưu trên máy chủ này (ví dụ một tệp tải lên chưa lưu, hoặc số liệu của "
        "máy chủ khác)",
        "the figures with code {detail} are not saved on this server (an upload that was never saved, or another "
        "server's figures)",
    ),
    "data.missing.unreadable": ("bộ dữ liệu «{detail}» không đọc được", "the dataset “{detail}” cannot be read"),
    "data.missing.store": (
        "không mở được kho để tìm số liệu mã {detail}",
        "the store cannot be opened to find the figures with code {detail}",
    ),
    "link.data_opened": ("Dữ liệu: {data} (mở theo liên kết).", "Data: {data} (opened from the link)."),
    "link.data_missing": (
        "Liên kết này được tạo trên số liệu khác: {data}. Bạn đang xem bộ dữ liệu gốc của {province}, nên các con "
        "số có thể khác với người gửi.",
        "This link was made on other figures: {data}. You are seeing {province}'s bundled plan, so the numbers "
        "may differ from the sender's.",
    ),
    # --- link repairs
    "repair.title": (
        "Liên kết có tham số không hợp lệ, đã được sửa:",
        "The link had invalid parameters; they were repaired:",
    ),
    "repair.unknown_key": (
        "«{key}» không phải tham số của ứng dụng: bỏ qua.",
        "“{key}” is not a parameter of this app: ignored.",
    ),
    "repair.unknown_sector": (
        "«{key}»: không có nhóm hàng này trong bộ dữ liệu: bỏ qua.",
        "“{key}”: no such sector in this plan: ignored.",
    ),
    "repair.not_a_number": (
        "«{key}={raw}» không phải là số: dùng giá trị mặc định {value}.",
        "“{key}={raw}” is not a number: the default {value} is used.",
    ),
    "repair.clamped": (
        "«{key}={raw}» nằm ngoài khoảng cho phép: dùng {value}.",
        "“{key}={raw}” is outside the allowed range: {value} is used.",
    ),
    "repair.outside_figures": (
        "«{key}={raw}» không có trong số liệu mới: dùng {value}.",
        "“{key}={raw}” is not in the new figures: {value} is used.",
    ),
    "repair.read_as": (
        "«{key}={raw}»: đã đọc là {value} (liên kết dùng dấu chấm thập phân và số năm nguyên).",
        "“{key}={raw}” was read as {value} (links use a decimal point and whole years).",
    ),
    "repair.unknown_plan": (
        "«{key}={raw}»: không có bộ số liệu này trên máy chủ: mở bộ số liệu mặc định «{value}».",
        "“{key}={raw}”: this server has no such plan: the default plan “{value}” is opened.",
    ),
    "repair.bad_choice": (
        "«{key}={raw}» không hợp lệ: dùng «{value}».",
        "“{key}={raw}” is not valid: “{value}” is used.",
    ),
    "repair.bad_version": (
        "Phiên bản liên kết «{raw}» không được hỗ trợ: đọc theo phiên bản {value}.",
        "Link version “{raw}” is not supported: read as version {value}.",
    ),
    "repair.too_many_params": (
        "Liên kết có {raw} tham số, nhiều hơn mức máy chủ đọc được: ứng dụng giữ {value} tham số mà nó biết "
        "và bỏ qua phần còn lại.",
        "The link has {raw} parameters, more than the server reads: the app kept the {value} it knows "
        "and ignored the rest.",
    ),
    "repair.link_too_long": (
        "Liên kết dài {raw} ký tự, quá dài để đọc: mở kịch bản mặc định.",
        "The link is {raw} characters long, too long to read: the default scenario is opened.",
    ),
    "repair.dismiss": ("Đã hiểu", "Understood"),
    "repair.more": ("… và {n} chỗ sửa khác.", "… and {n} more."),
    "adjust.title": ("Một số thiết lập mâu thuẫn nhau, đã điều chỉnh:", "Some settings conflicted and were adjusted:"),
    "adjust.clamped": (
        "{label} {raw} nằm ngoài khoảng các thiết lập khác cho phép: dùng {value}.",
        "{label} {raw} is outside what the other settings allow: {value} is used.",
    ),
    "adjust.outside_figures": (
        "{label} {raw} không có trong số liệu mới: dùng {value}.",
        "{label} {raw} is not in the new figures: {value} is used.",
    ),
    "adjust.other": ("{label} {raw}: dùng {value}.", "{label} {raw}: {value} is used."),
    # --- statuses
    "status.official": ("chính thức", "official"),
    "status.draft": ("dự thảo", "draft"),
    "status.estimate": ("ước tính", "estimate"),
    "status.derived": ("suy ra", "derived"),
    "backtest.base_derived": (
        "Số năm gốc {base} ({figure}) là số suy ra, không phải số công bố: độ lệch và đánh giá trên đây gồm cả độ "
        "lệch của chính số gốc ấy (xem trang Dữ liệu).",
        "The {base} base figure ({figure}) is derived, not reported: the errors and the grade above include that "
        "figure's own error (see the Data page).",
    ),
    "status.proxy": ("đại diện", "proxy"),
    "status.assumption": ("giả định", "assumption"),
    "status.legend": (
        "Trạng thái số liệu: chính thức (công bố chính thức) · dự thảo (trong văn bản dự thảo, chưa rõ đã ban hành) · "
        "ước tính (số ước cả năm của cơ quan nhà nước, trước khi có số chính thức) · suy ra (tính từ số có nguồn, có công thức) · "
        "đại diện (chuỗi số liệu cả nước dùng thay cho số của tỉnh) · giả định (lựa chọn mô hình).",
        "Data status: official (published) · draft (in a draft document, adoption not confirmed) · "
        "estimate (an official estimate of a year, made before the final figure) · derived (computed from sourced figures, formula given) · "
        "proxy (a national series standing in for the province's) · assumption (a modelling choice).",
    ),
    # --- verdict and key figures
    "verdict.reached": (
        "Dự báo nhìn từ năm {base}: ĐẠT mục tiêu {year} ({value}, vượt {gap}, {gap_pct}).",
        "Projection as seen from {base}: target {year} REACHED ({value}, {gap} above, {gap_pct}).",
    ),
    "verdict.missed": (
        "Dự báo nhìn từ năm {base}: CHƯA ĐẠT mục tiêu {year} ({value}, thiếu {gap}, {gap_pct}).",
        "Projection as seen from {base}: target {year} NOT REACHED ({value}, {gap} short, {gap_pct}).",
    ),
    "verdict.uncertain.reached": (
        "Dự báo nhìn từ năm {base}: CHƯA CHẮC ĐẠT mục tiêu {year}: đường trung tâm đạt ({value}, vượt {gap}, "
        "{gap_pct}), nhưng chỉ {p} số đường mô phỏng đạt.",
        "Projection as seen from {base}: target {year} UNCERTAIN: the central path reaches it ({value}, {gap} "
        "above, {gap_pct}), but only {p} of the simulated paths do.",
    ),
    "verdict.uncertain.missed": (
        "Dự báo nhìn từ năm {base}: CHƯA CHẮC ĐẠT mục tiêu {year}: đường trung tâm chưa đạt ({value}, thiếu {gap}, "
        "{gap_pct}), nhưng {p} số đường mô phỏng đạt.",
        "Projection as seen from {base}: target {year} UNCERTAIN: the central path falls short ({value}, {gap} "
        "short, {gap_pct}), but {p} of the simulated paths reach it.",
    ),
    "verdict.record.later": (
        "Dự báo này vượt mục tiêu năm {year}, muộn hơn thực tế (năm {record_year}).",
        "This projection crosses the target in {year}, later than the record did ({record_year}).",
    ),
    "verdict.record.earlier": (
        "Dự báo này vượt mục tiêu năm {year}, sớm hơn thực tế (năm {record_year}).",
        "This projection crosses the target in {year}, earlier than the record did ({record_year}).",
    ),
    "verdict.record.never": (
        "Dự báo này không vượt mục tiêu, trái với số liệu đã công bố (vượt năm {record_year}).",
        "This projection never crosses the target, unlike the record (passed in {record_year}).",
    ),
    "headline.reached": (
        "ĐẠT mục tiêu {year} — dự báo nhìn từ năm {base}",
        "Target {year} REACHED — projection as seen from {base}",
    ),
    "headline.missed": (
        "CHƯA ĐẠT mục tiêu {year} — dự báo nhìn từ năm {base}",
        "Target {year} NOT REACHED — projection as seen from {base}",
    ),
    "headline.uncertain": (  # the details below say on which side of the target the central path ends
        "CHƯA CHẮC ĐẠT mục tiêu {year}: xác suất đạt {p} — dự báo nhìn từ năm {base}",
        "Target {year} UNCERTAIN: probability of reaching it {p} — projection as seen from {base}",
    ),
    "headline.figures.reached": (
        "Kim ngạch dự báo năm {year}: {value}, vượt mục tiêu {gap} ({gap_pct}).",
        "Projected {year} exports: {value}, {gap} above the target ({gap_pct}).",
    ),
    "headline.figures.missed": (
        "Kim ngạch dự báo năm {year}: {value}, thiếu {gap} so với mục tiêu ({gap_pct}).",
        "Projected {year} exports: {value}, {gap} short of the target ({gap_pct}).",
    ),
    "record.head.passed": (  # the figure's status beside the claim it makes (an estimate, a bound)
        "Thực tế: đã vượt mục tiêu {target} năm {year} ({status})",
        "The record: the {target} target was passed in {year} ({status})",
    ),
    "record.head.not_passed": (  # what the figures so far say: a year without a figure may yet have reached it
        "Thực tế: số liệu đã có chưa đạt mục tiêu {target}",
        "The record: the figures so far do not reach the {target} target",
    ),
    "record.figure": ("Số liệu năm {year}: {figure}.", "The {year} figure: {figure}."),
    "record.source": ("Nguồn: {source}.", "Source: {source}."),
    "record.source_derived": ("Suy ra từ: {source}.", "Worked out from: {source}."),
    "record.source_quote": ("Nguồn: {source}: «{quote}».", "Source: {source}: “{quote}”."),
    "record.latest": ("Số liệu mới nhất, năm {year}: {figure}.", "The latest figure, {year}: {figure}."),
    "record.passed": (
        "Thực tế: mục tiêu {target} đã được vượt năm {year}, theo số liệu {figure}.",
        "The record: the {target} target was passed in {year}, by the figure {figure}.",
    ),
    "record.not_passed": (
        "Thực tế: số liệu đã có chưa đạt mục tiêu {target}; số liệu mới nhất là năm {year}: {figure}.",
        "The record: the figures so far do not reach the {target} target; the latest is {year}: {figure}.",
    ),
    "record.confirm": (
        "Con số thực tế có thể thấp hơn cận trên này, vốn cao hơn mục tiêu {margin}: cần số liệu chính thức để "
        "khẳng định đã vượt.",
        "The real figure may be lower than this bound, which is {margin} above the target: confirm with official "
        "statistics that it was passed.",
    ),
    "record.no_target_year": (
        "Năm {year} đã qua nhưng bộ số liệu chưa có số của năm này.",
        "{year} is over, but the figures hold none for it.",
    ),
    "kpi.total": ("Dự báo {year} (triệu USD)", "Projected {year} (million USD)"),
    "kpi.gap": ("Chênh lệch (triệu USD)", "Gap (million USD)"),
    "kpi.growth": ("Tăng trưởng/năm (cần {required})", "Growth a year (needed {required})"),
    "kpi.growth_help": (
        "Tốc độ tăng bình quân {base}–{year} của kịch bản so với tốc độ cần để đạt đúng mục tiêu.",
        "The scenario's average growth {base}–{year} against the rate that just reaches the target.",
    ),
    "kpi.crossed": ("Năm đạt mục tiêu (dự báo)", "Projected to cross in"),
    "kpi.not_crossed": ("Không đạt đến {h}", "Not by {h}"),
    "kpi.probability": ("Xác suất đạt mục tiêu", "Probability of reaching the target"),
    "kpi.probability_help": (
        "Tỷ lệ trong {n} đường mô phỏng đạt mục tiêu năm {year} (lượt mô phỏng số {seed}).",
        "Share of {n} simulated paths that reach the {year} target (simulation number {seed}).",
    ),
    # --- charts
    "chart.main_title": ("Kim ngạch xuất khẩu theo nhóm hàng, {base}–{h}", "Exports by sector, {base}–{h}"),
    "chart.musd": ("Triệu USD", "Million USD"),
    "chart.required": ("Đường cần đạt ({rate}/năm)", "Required path ({rate} a year)"),
    "chart.actual": ("Thực tế", "Actual"),
    "chart.series": ("Chuỗi", "Series"),
    "chart.band_80": ("8 trên 10 đường (10–90%)", "8 paths in 10 (10–90%)"),
    "chart.band_50": ("1 nửa số đường (25–75%)", "Half of the paths (25–75%)"),
    "chart.median": ("Trung vị", "Median"),
    "chart.p10": ("Phân vị 10", "10th percentile"),
    "chart.p25": ("Phân vị 25", "25th percentile"),
    "chart.p50": ("Trung vị (phân vị 50)", "Median (50th percentile)"),
    "chart.p75": ("Phân vị 75", "75th percentile"),
    "chart.p90": ("Phân vị 90", "90th percentile"),
    "chart.other_sectors": ("Các nhóm khác ({n} nhóm)", "Other sectors ({n})"),
    "chart.target_label": ("Mục tiêu {value}", "Target {value}"),
    # one of several targets, with whose it is: "2025", or "Hưng Yên 2030" when provinces differ
    "chart.target_label_whose": ("Mục tiêu {whose}: {value}", "Target {whose}: {value}"),
    # a histogram's target too far from the paths to draw: its name at the edge it lies past
    "chart.target_right": ("Mục tiêu {value}: xa hơn về bên phải →", "Target {value}: further right →"),
    "chart.target_left": ("← Mục tiêu {value}: xa hơn về bên trái", "← Target {value}: further left"),
    "chart.scenario_total": ("Kịch bản: {value}", "Scenario: {value}"),
    "chart.reached": ("Đạt mục tiêu", "Reaches the target"),
    "chart.missed": ("Không đạt", "Falls short"),
    "chart.paths": ("Số lượng đường", "Number of paths"),
    "chart.fan_title": (
        "Dải dự báo tổng kim ngạch ({n} đường mô phỏng)",
        "Forecast range of total exports ({n} simulated paths)",
    ),
    "chart.dist_title": (
        "Phân bố kim ngạch năm {year}: {n} đường mô phỏng",
        "Distribution of {year} exports: {n} paths",
    ),
    "chart.dist_title_cut": (
        "Phân bố kim ngạch năm {year}: {shown} trên {n} đường mô phỏng (bỏ {cut} đường xa nhất)",
        "Distribution of {year} exports: {shown} of {n} paths (the {cut} farthest left out)",
    ),
    "chart.tornado_title": (
        "Độ nhạy: kim ngạch {year} khi tăng trưởng từng nhóm ±{delta} điểm %",
        "Sensitivity: {year} exports with each sector's growth ±{delta} points",
    ),
    "chart.low": ("Giảm {delta} điểm", "-{delta} points"),
    "chart.high": ("Tăng {delta} điểm", "+{delta} points"),
    "chart.swing": ("Biên độ", "Swing"),
    "chart.tornado_axis": (
        "Triệu USD (trong ngoặc: biên độ của nhóm)",
        "Million USD (in brackets: the sector's swing)",
    ),
    "chart.priority_title": (
        "Nhóm hàng ưu tiên: tỷ trọng và tác động của 1 điểm % tăng trưởng",
        "Priority sectors: share and the effect of one extra point of growth",
    ),
    "chart.share": ("Tỷ trọng năm gốc (%)", "Base-year share (%)"),
    "chart.effect": ("Tăng thêm năm {year} khi +1 điểm % (triệu USD)", "Added in {year} per +1 point (million USD)"),
    "chart.compare_title": ("So sánh các kịch bản: tổng kim ngạch", "Scenarios compared: total exports"),
    # --- overview
    "ov.sector_table": ("Bảng theo nhóm hàng", "By sector"),
    "ov.col.base": ("Năm {base}", "{base}"),
    "ov.col.share": ("Tỷ trọng %", "Share %"),
    "ov.col.growth": ("Tăng %/năm", "% a year"),
    "ov.col.value_y": ("Năm {year}", "{year}"),
    "ov.col.contribution": ("Thay đổi", "Change"),  # the target year less the base year: a fall is negative
    "ov.table_units": (
        "Giá trị năm {base}, năm {year} và phần thay đổi: triệu USD. Tỷ trọng: phần trăm tổng năm {base}.",
        "Values in {base} and {year} and the change: million USD. Share: percent of the {base} total.",
    ),
    "ov.one_status": (
        "Trạng thái số năm gốc của mọi nhóm hàng: {status}.",
        "Status of every sector's base-year figure: {status}.",
    ),
    "ov.other_note": (
        "«{other}» gộp các nhóm hàng nhỏ: từng nhóm có trong bảng dưới đây và hiện khi di chuột.",
        "“{other}” groups the small sectors: each of them is in the table below and shows on hover.",
    ),
    "ov.actual_note": (
        "Chấm đen: số thực tế, hình dạng theo trạng thái; di chuột để xem nguồn.",
        "Black marks: recorded figures, shaped by status; hover for the source.",
    ),
    # --- scenario page
    "sc.presets": ("Kịch bản dựng sẵn", "Presets"),
    "sc.presets_help": (
        "Chọn một kịch bản để đặt lại các thanh trượt. Căn cứ của từng kịch bản được ghi rõ.",
        "Pick a preset to set the sliders. Each preset's basis is stated.",
    ),
    "sc.apply": ("Áp dụng", "Apply"),
    "sc.targets": ("Mục tiêu đang dùng", "Target in use"),
    "sc.targets_text": (
        "Mục tiêu {target} vào năm {year}, tính từ năm gốc {base}; hiển thị đến {h}. Đổi ở thanh bên, mục «Mục tiêu và thời gian».",
        "Target {target} in {year}, from base year {base}; shown to {h}. Change it in the sidebar, “Target and years”.",
    ),
    "sc.target_2030": ("Dùng mục tiêu 2030 ({value}, {status})", "Use the 2030 target ({value}, {status})"),
    "sc.target_in_use": ("Kịch bản đang dùng mục tiêu này.", "The scenario already uses this target."),
    "sc.target_plan": (
        "Trở lại mục tiêu {year} của kế hoạch ({status})",
        "Back to the plan's {year} target ({status})",
    ),
    "sc.hypothetical": ("giả định, chưa từng xảy ra", "hypothetical: it did not happen"),
    "sc.calibrated": ("Hiệu chỉnh theo số thực tế", "Calibrated to the record"),
    "sc.calibrated_basis": (
        "Mức tăng thêm chung và mức độ bất định được ước lượng (hợp lý cực đại) để khớp số thực tế {years}; "
        "không có cú sốc, vì năm 2021 thực tế tăng mạnh.",
        "A common growth uplift and the uncertainty level fitted (maximum likelihood) to the record {years}; "
        "no shock, since 2021 in fact grew strongly.",
    ),
    "sc.calibrated_fit": (
        "Kết quả: mọi nhóm hàng {uplift} (sai số ±{uplift_se}); mức độ bất định ×{unc} (±{unc_se}). "
        "Dải 10–90% chứa {inside}/{n} năm thực tế.",
        "Fit: every sector {uplift} (standard error ±{uplift_se}); uncertainty ×{unc} (±{unc_se}). "
        "The 10–90% band holds {inside} of {n} recorded years.",
    ),
    "sc.growth_table": ("Tăng trưởng từng nhóm hàng (gõ số chính xác)", "Growth by sector (type exact values)"),
    "sc.growth_table_help": (
        "Sửa ô «Tăng trưởng» (ví dụ 12,5): thanh trượt ở thanh bên đi theo. Cho phép từ {low} đến {high}/năm.",
        "Edit a “Growth” cell (e.g. 12.5): the sidebar's slider follows. From {low} to {high} a year.",
    ),
    "sc.col.growth": ("Tăng trưởng (%/năm)", "Growth (% a year)"),
    "sc.growth_unreadable": (
        "{sector}: không đọc được «{text}» thành một số; giữ nguyên giá trị cũ.",
        "{sector}: “{text}” is not a number; the value stays as it was.",
    ),
    "sc.growth_clamped": (
        "{sector}: «{text}» nằm ngoài khoảng cho phép: dùng {value}.",
        "{sector}: “{text}” is outside the allowed range: {value} is used.",
    ),
    "sc.goal": ("Cần gì để đạt mục tiêu?", "What would it take?"),
    "sc.goal_central": (  # the central path runs above the paths' median: at the rate found, about half miss
        "Các mức dưới đây tính cho đường dự báo trung tâm. Ở đúng mức ấy, đường trung tâm vừa chạm mục tiêu và "
        "khoảng một nửa số đường mô phỏng không đạt: để chắc chắn đạt cần cao hơn (xem trang {risk}).",
        "The rates below are for the central projection. At exactly such a rate the central path just touches the "
        "target and about half the simulated paths miss it: to be sure of it takes more (see {risk}).",
    ),
    "sc.every_sector": ("Mọi nhóm hàng cùng thay đổi", "Every sector together"),  # the card: an uplift or room
    "sc.uplift": ("Mọi nhóm hàng cùng tăng thêm", "Every sector adds"),
    "sc.uplift_text": (
        "Để đạt đúng {target} năm {year}, mọi nhóm hàng cần thay đổi tăng trưởng {uplift}.",
        "To reach exactly {target} in {year}, every sector's growth needs to change by {uplift}.",
    ),
    "sc.uplift_none": (
        "Không có mức điều chỉnh chung nào từ {low} đến {high} điểm\u00a0% đạt được mục tiêu.",
        "No common adjustment from {low} to {high} points reaches the target.",
    ),
    "sc.uplift_any": (
        "Dự báo đạt mục tiêu, và vẫn đạt kể cả khi tăng trưởng của mọi nhóm hàng thấp hơn {cut} điểm\u00a0%, mức giảm lớn "
        "nhất được tính.",
        "Projected to reach it: the target is still reached with every sector's growth {cut} points lower, the "
        "largest cut tried.",
    ),
    "sc.room": (
        "Dự báo đạt mục tiêu: mọi nhóm hàng có thể tăng chậm hơn",
        "Projected to reach it: every sector could grow slower by",
    ),
    "sc.room_text": (
        "Theo dự báo, mục tiêu {target} năm {year} đạt với các mức hiện tại: tăng trưởng của mọi nhóm hàng có thể "
        "thấp hơn {room} mà vẫn đạt đúng mục tiêu.",
        "The projection reaches the {target} target for {year} with the current settings: every sector's growth "
        "could be {room} lower and still just reach it.",
    ),
    "sc.sector_room": (
        "Dự báo đạt mục tiêu: chỉ riêng {sector} có thể tăng chậm lại còn {growth}/năm (hiện {current}) mà vẫn đạt mục tiêu.",
        "Projected to reach it: {sector} alone could slow to {growth} a year (now {current}) and still reach the "
        "target.",
    ),
    "sc.apply_uplift": ("Áp dụng cho các thanh trượt", "Apply to the sliders"),
    "sc.one_sector": ("Chỉ một nhóm hàng thay đổi", "One sector alone"),
    "sc.sector_text": (
        "Nếu các nhóm khác giữ nguyên, {sector} cần tăng {growth}/năm (hiện {current}).",
        "With the others as set, {sector} would need {growth} a year (now {current}).",
    ),
    "sc.sector_none": (
        "Không đạt được chỉ bằng riêng nhóm {sector} (cần tăng trưởng ngoài khoảng {low} đến {high}/năm).",
        "Not reachable by {sector} alone (it would need growth outside {low} to {high} a year).",
    ),
    "sc.sector_any": (
        "Dự báo đạt mục tiêu, và vẫn đạt kể cả khi riêng nhóm {sector} ở mức {low}/năm, mức thấp nhất của thanh trượt.",
        "Projected to reach it: the target is still reached with {sector} alone at {low} a year, the slider's lowest "
        "rate.",
    ),
    "sc.sector_clamped": (
        "Lưu ý: thanh trượt chỉ cho phép {low} đến {high}; mức áp dụng sẽ là {value}.",
        "Note: the slider allows {low} to {high} only; {value} will be applied.",
    ),
    "sc.apply_sector": ("Áp dụng cho {sector}", "Apply to {sector}"),
    "sc.all_table": (
        "Mức tăng trưởng cần thiết của từng nhóm (nếu chỉ nhóm đó thay đổi)",
        "Growth each sector alone would need",
    ),
    "sc.col.needed": ("Cần (%/năm)", "Needed (% a year)"),
    "sc.col.current": ("Hiện tại (%/năm)", "Now (% a year)"),
    "sc.not_alone": ("không đạt riêng", "not alone"),
    "sc.any_rate": ("đạt ở mọi mức", "any rate"),
    "sc.beyond_slider": (
        "\\* Ngoài khoảng của thanh trượt ({low} đến {high}/năm): không đặt được bằng thanh trượt.",
        "\\* Beyond the slider's range ({low} to {high} a year): not a rate the slider can set.",
    ),
    # --- risk page
    "risk.probability": ("Xác suất đạt mục tiêu: {p}", "Probability of reaching the target: {p}"),
    "risk.probability_text": (
        "Trong {n} đường mô phỏng (lượt mô phỏng số {seed}), {k} đường đạt {target} năm {year}.",
        "Of {n} simulated paths (simulation number {seed}), {k} reach {target} in {year}.",
    ),
    "risk.error": ("Sai số mô phỏng khoảng ±{se} điểm\u00a0%.", "Simulation error about ±{se} points."),
    "risk.error_none": (
        "Không đường nào đạt, nhưng {n} đường chưa đủ để nói xác suất bằng 0: với độ tin cậy 95%, xác suất "
        "theo mô hình dưới {bound}.",
        "No path reaches it, but {n} paths cannot show a probability of zero: at 95% confidence the model's "
        "probability is below {bound}.",
    ),
    "risk.error_all": (
        "Mọi đường đều đạt, nhưng {n} đường chưa đủ để nói chắc chắn đạt: với độ tin cậy 95%, xác suất theo "
        "mô hình chỉ có thể thấp hơn 100% không quá {bound}.",
        "Every path reaches it, but {n} paths cannot show certainty: at 95% confidence the model's probability "
        "is at most {bound} short of 100%.",
    ),
    "risk.reduced": (
        "Chỉ mô phỏng {n} trong {requested} đường đã chọn: {sectors} nhóm hàng × {years} năm vượt giới hạn bộ nhớ "
        "của một lượt mô phỏng ({limit} số ngẫu nhiên). Sai số mô phỏng vì thế lớn hơn.",
        "Only {n} of the {requested} paths asked for were simulated: {sectors} sectors × {years} years exceed "
        "the memory limit of one simulation ({limit} random numbers). The simulation error is larger for it.",
    ),
    "risk.range_text": (
        "Kim ngạch năm {year}: trung vị {p50}; 8 trên 10 đường nằm trong khoảng {p10} – {p90}.",
        "Exports in {year}: median {p50}; 8 paths in 10 lie between {p10} and {p90}.",
    ),
    "risk.delta": ("Tăng trưởng từng nhóm thay đổi thêm hoặc bớt", "Each sector's growth moved up and down by"),
    "risk.most": (
        "Nhóm hàng quyết định nhiều nhất: {sector} — ±{delta} điểm\u00a0% tăng trưởng làm kim ngạch {year} thay đổi {swing}.",
        "The sector that matters most: {sector} — ±{delta} points of growth move {year} exports by {swing}.",
    ),
    "risk.priority_text": (
        "Hỗ trợ hiệu quả nhất ở: {sectors}. Một điểm\u00a0% tăng trưởng thêm của {top} làm kim ngạch {year} tăng {effect}.",
        "Support moves the total most in: {sectors}. One extra point of growth in {top} adds {effect} in {year}.",
    ),
    "risk.sensitivity": ("Độ nhạy theo nhóm hàng", "Sensitivity by sector"),
    "risk.priority": ("Nhóm hàng ưu tiên", "Priority sectors"),
    "risk.uncertainty": ("Mức độ chắc chắn", "How sure we are"),
    "risk.controls_note": (
        "Mức độ bất định, mức cùng biến động, số đường và mã lượt mô phỏng ở thanh bên, mục «Độ bất định (mô phỏng)».",
        "The uncertainty level, how much sectors move together, the paths and the simulation number are in the sidebar, “Uncertainty (simulation)”.",
    ),
    "risk.volatility_note": (
        "Độ biến động từng nhóm lấy theo chuỗi số liệu cả nước (đại diện) hoặc giả định; xem trang Dữ liệu.",
        "Each sector's volatility comes from nationwide series (proxies) or assumptions; see the Data page.",
    ),
    # --- compare page and saved scenarios
    "cmp.save": ("Lưu kịch bản hiện tại", "Save the current scenario"),
    "cmp.name": ("Tên kịch bản", "Scenario name"),
    "cmp.note": ("Ghi chú (không bắt buộc)", "Note (optional)"),
    "cmp.save_button": ("Lưu", "Save"),
    "cmp.saved": ("Đã lưu «{name}». Số liệu: {data}.", "Saved “{name}”. Data: {data}."),
    "cmp.list": ("Kịch bản đã lưu", "Saved scenarios"),
    "cmp.empty": ("Chưa có kịch bản nào được lưu.", "No scenario saved yet."),
    "cmp.col.name": ("Tên", "Name"),
    "cmp.col.updated": ("Cập nhật (giờ Việt Nam)", "Updated (Vietnam time)"),
    "cmp.data": ("Số liệu dùng", "Data used"),
    "cmp.col.total": ("Kim ngạch năm mục tiêu (triệu USD)", "Target-year exports (million USD)"),
    "cmp.reached": ("Đạt {year}", "Reached {year}"),
    "cmp.missed": ("Chưa đạt {year}", "Missed {year}"),
    "cmp.uncertain": ("Chưa chắc đạt {year}", "Uncertain {year}"),
    "cmp.with_probability": ("{verdict} (xác suất {p})", "{verdict} (probability {p})"),
    "cmp.reached.central": ("Đạt {year} (đường trung tâm)", "Reached {year} (central path)"),
    "cmp.missed.central": ("Chưa đạt {year} (đường trung tâm)", "Missed {year} (central path)"),
    "cmp.manage": ("Thao tác với kịch bản", "Manage a scenario"),
    "cmp.pick": ("Chọn kịch bản", "Pick a scenario"),
    "cmp.open": ("Mở (đặt thanh trượt và số liệu theo kịch bản này)", "Open (set the sliders and the data to it)"),
    "cmp.opened": ("Đã mở «{name}» trên {data}.", "Opened “{name}” on {data}."),
    "cmp.cannot_open": ("Không mở được «{name}»: {data}.", "“{name}” cannot be opened: {data}."),
    "cmp.new_name": ("Tên mới", "New name"),
    "cmp.rename": ("Đổi tên", "Rename"),
    "cmp.duplicate": ("Nhân bản", "Duplicate"),
    "cmp.delete": ("Xóa", "Delete"),
    "cmp.confirm_delete": (
        "Tôi chắc chắn muốn xóa «{name}» (có thể khôi phục trong thùng rác)",
        "I am sure I want to delete “{name}” (it can be restored from the bin)",
    ),
    "cmp.deleted": (
        "Đã xóa «{name}». Có thể khôi phục trong thùng rác bên dưới.",
        "Deleted “{name}”. It can be restored from the bin below.",
    ),
    "cmp.done": ("Đã thực hiện: «{name}».", "Done: “{name}”."),
    "cmp.bin": ("Thùng rác (mục đã xóa)", "Bin (deleted items)"),
    "cmp.bin_count": (
        "{n} mục đã xóa, mới nhất trước. Thùng rác giữ {keep} mục xóa gần nhất; mục cũ hơn bị xóa hẳn.",
        "{n} deleted, the newest first. The bin keeps the {keep} most recently deleted; older ones are removed "
        "for good.",
    ),
    "cmp.restore": ("Khôi phục", "Restore"),
    "cmp.restored": ("Đã khôi phục «{name}».", "Restored “{name}”."),
    "cmp.compare": ("So sánh kịch bản", "Compare scenarios"),
    "cmp.choose": ("Chọn 2–4 kịch bản để so sánh", "Choose 2–4 scenarios to compare"),
    "cmp.current": ("Kịch bản hiện tại", "Current scenario"),
    "cmp.need_two": ("Chọn ít nhất 2 kịch bản.", "Choose at least 2 scenarios."),
    "cmp.how_to_save": (
        "Để so sánh: lưu kịch bản hiện tại ở thanh bên, mục «{save}», rồi đổi thanh trượt: trang này so sánh "
        "kịch bản đã lưu với kịch bản hiện tại.",
        "To compare: save the current scenario in the sidebar, “{save}”, then move the sliders: this page compares "
        "the saved one with the current one.",
    ),
    "cmp.too_many": (
        "Chỉ so sánh tối đa 4 kịch bản; đang dùng 4 kịch bản đầu.",
        "At most 4 scenarios; the first 4 are used.",
    ),
    "cmp.summary": ("Kết quả từng kịch bản", "Each scenario's outcome"),
    "cmp.not_computed": ("Không tính: {data}.", "Not computed: {data}."),
    "cmp.params_differ": ("Tham số khác với kịch bản đầu tiên", "Parameters that differ from the first scenario"),
    "cmp.params_same": (
        "Mọi tham số giống kịch bản đầu tiên.",
        "Every parameter is the same as in the first scenario.",
    ),
    "cmp.table": (
        "Tất cả tham số (số in đậm, nền vàng: khác với kịch bản đầu tiên)",
        "All parameters (bold on yellow: differs from the first)",
    ),
    "cmp.brief": ("Bản so sánh một trang (PDF)", "One-page comparison (PDF)"),
    "cmp.link": ("Liên kết tới phần so sánh này", "Link to this comparison"),
    "cmp.data_shared": ("Mọi kịch bản đều tính trên số liệu: {data}.", "Every scenario is computed on: {data}."),
    "cmp.link_data": ("Số liệu của từng kịch bản: {list}.", "Each scenario's data: {list}."),
    "cmp.link_cut": (
        "Liên kết nêu {n} kịch bản; chỉ đọc {read} kịch bản đầu.",
        "The link names {n} scenarios; only the first {read} are read.",
    ),
    "cmp.missing_more": ("{items} và {n} kịch bản khác", "{items} and {n} more"),
    "cmp.missing": (
        "Một số kịch bản trong liên kết không còn (đã xóa hoặc ở máy chủ khác): {ids}.",
        "Some scenarios in the link no longer exist (deleted or on another server): {ids}.",
    ),
    "row.gap_pct": ("Chênh lệch (% mục tiêu)", "Gap (% of target)"),
    "row.year_reached": ("Năm đạt mục tiêu", "Year crossed"),
    "row.implied_cagr_pct": ("Tăng bình quân (%/năm)", "Average growth (% a year)"),
    "row.probability": ("Xác suất đạt", "Probability"),  # its figures carry their "%"
    "store.unavailable": (
        "Không mở được kho kịch bản: {reason} Các trang khác vẫn dùng bình thường nhưng chưa lưu hay so sánh được "
        "kịch bản đã lưu; hãy báo quản trị viên (mã lỗi: {detail}).",
        "The scenario store cannot be opened: {reason} The other pages work as usual, but scenarios cannot be saved "
        "or compared with saved ones; tell the administrator (error code: {detail}).",
    ),
    "store.reason.readonly": ("ổ đĩa hoặc thư mục chỉ cho đọc.", "the disk or folder is read-only."),
    "store.reason.write_failed": (
        "không tạo hay ghi được tệp (ổ đĩa đầy hoặc đường dẫn sai).",
        "the file cannot be created or written (disk full or a wrong path).",
    ),
    "store.reason.corrupt": ("tệp kho bị hỏng.", "the store file is damaged."),
    "store.reason.foreign": (
        "tệp ở đường dẫn này không phải kho kịch bản của ứng dụng.",
        "the file at that path is not this app's store.",
    ),
    "store.reason.newer_schema": (
        "tệp được tạo bởi phiên bản ứng dụng mới hơn.",
        "the file was written by a newer version of the app.",
    ),
    "store.reason.other": ("lỗi không xác định.", "an unknown error."),
    "store.name_empty": ("Hãy đặt tên cho kịch bản.", "Give the scenario a name."),
    "store.name_no_letters": (
        "Tên cần có ít nhất một chữ cái hoặc chữ số.",
        "A name needs at least one letter or digit.",
    ),
    "store.name_lookalike": (
        "Tên có chữ Kirin hoặc Hy Lạp trông như chữ Latinh: {letters}. Tên ấy dễ bị nhầm với một tên gõ bằng chữ "
        "Latinh; hãy gõ lại các chữ ấy bằng chữ Latinh.",
        "The name has Cyrillic or Greek letters that look like Latin ones: {letters}. It could be mistaken for a "
        "name typed in Latin letters; type those letters again as Latin letters.",
    ),
    "store.lookalike_letter": ("ký tự thứ {n} «{letter}» ({script})", "character {n} “{letter}” ({script})"),
    "store.lookalike_more": ("{items} và {n} ký tự khác như thế", "{items} and {n} more like them"),
    "store.script.cyrillic": ("chữ Kirin", "Cyrillic"),
    "store.script.greek": ("chữ Hy Lạp", "Greek"),
    "store.name_too_long": ("Tên dài quá 80 ký tự.", "The name is longer than 80 characters."),
    # Shown as plain text, like every message: each character is named with its place.
    "store.name_bad_chars": (
        "Tên có ký tự không được phép: {letters}. Tên gồm chữ, số, dấu cách, các dấu . , - ( ) / : # + & ' % ! ? ; "
        "và dấu ngoặc kép.",
        "The name has characters that are not allowed: {letters}. A name holds letters, digits, spaces, the marks "
        ". , - ( ) / : # + & ' % ! ? ; and quotation marks.",
    ),
    "store.bad_letter": ("ký tự thứ {n} «{letter}»", "character {n} “{letter}”"),
    "store.name_taken": (
        "Đã có kịch bản tên này; hãy chọn tên khác.",
        "A scenario with this name exists; choose another.",
    ),
    "store.note_too_long": ("Ghi chú dài quá 500 ký tự.", "The note is longer than 500 characters."),
    "store.note_bad_chars": ("Ghi chú có ký tự điều khiển không được phép.", "The note has control characters."),
    "store.readonly": (
        "Kho kịch bản chỉ đọc: không lưu được. Các kịch bản đã lưu vẫn xem được.",
        "The store is read-only: nothing can be saved. Saved scenarios can still be viewed.",
    ),
    "store.write_failed": (
        "Không ghi được (ổ đĩa đầy hoặc lỗi ghi). Chưa có gì bị mất; hãy thử lại sau.",
        "Could not write (disk full or write error). Nothing was lost; try again later.",
    ),
    "store.bad_dataset": (
        "Bộ dữ liệu này không hợp lệ nên không lưu được.",
        "This dataset is not valid, so it cannot be saved.",
    ),
    "store.dataset_too_large": (
        "Bộ dữ liệu quá lớn nên không lưu được (quá nhiều ngành, dòng hoặc chữ).",
        "The dataset is too large to save (too many sectors, rows or characters).",
    ),
    "store.dataset_exists": (
        "Đã có bộ dữ liệu với đúng các số liệu này: «{name}».",
        "A saved dataset already holds exactly these figures: “{name}”.",
    ),
    "store.corrupt": (
        "Một phần kho kịch bản bị hỏng nên không đọc được (tệp bị sửa ngoài ứng dụng, hoặc ổ đĩa lỗi). "
        "Hãy báo người quản trị.",
        "Part of the scenario store is damaged and cannot be read (the file was changed outside the app, "
        "or the disk is failing). Tell the administrator.",
    ),
    "store.full.scenarios": (
        "Kho đã có {n} kịch bản, mức tối đa: hãy xóa bớt một kịch bản trước.",
        "The store already holds {n} saved scenarios, its maximum: delete one first.",
    ),
    "store.full.datasets": (
        "Kho đã có {n} bộ dữ liệu, mức tối đa: hãy xóa bớt một bộ dữ liệu trước.",
        "The store already holds {n} saved datasets, its maximum: delete one first.",
    ),
    "store.other": ("Lỗi kho kịch bản: {detail}", "Scenario store error: {detail}"),
    # --- data page
    "data.in_use": ("Dữ liệu đang dùng: {data}", "Data in use: {data}"),
    "data.targets": (
        "Các mục tiêu",
        "Targets",
    ),  # a plan may have no scheme (Hưng Yên): its targets' status says what they are
    "data.col.note": ("Ghi chú / công thức", "Note / formula"),
    # the data files give one note per actual and sector, in their own language (Vietnamese for the bundled plans)
    "data.col.note_file": ("Ghi chú / công thức", "Note / formula (as written in the data file)"),
    "data.target_row": ("Mục tiêu {year}", "Target {year}"),
    "data.required_row": ("Tốc độ tăng bình quân cần đạt", "Required average growth"),
    "data.sectors": (
        "Nhóm hàng: giá trị năm gốc, tăng trưởng và độ biến động mặc định",
        "Sectors: base values, default growth and volatility",
    ),
    "data.col.base": ("Năm gốc {year} (triệu USD)", "Base {year} (million USD)"),
    "data.col.growth": ("Tăng trưởng mặc định (%/năm)", "Default growth (% a year)"),
    "data.col.volatility": ("Độ biến động (điểm %)", "Volatility (points)"),
    "data.actuals": ("Số thực tế đã công bố", "Reported actuals"),
    "data.actuals_derived": (
        "Số thực tế: số công bố, số ước tính và số suy ra (xem trạng thái từng dòng)",
        "Actuals: published, estimated and derived figures (see each row's status)",
    ),
    "data.vs_overview": (
        "Dự báo so với thực tế từng năm (sai lệch, dải 10–90%) ở trang Tổng quan.",
        "The projection against the record, year by year (errors, the 10–90% band), is on the Overview.",
    ),
    "saved.newest": (
        "{shown} mục mới nhất trong {total}; mọi mục đều chọn được ở ô bên dưới.",
        "The newest {shown} of {total}; every one can be picked in the box below.",
    ),
    "data.sector_notes": (
        "Cách tính từng số của các nhóm hàng (ghi chú, công thức)",
        "How each sector figure was obtained (notes and formulas, as written in the data file)",
    ),
    "data.no_actuals": (
        "Số liệu đang dùng chưa có số thực tế nào: thêm ở bảng sửa số thực tế bên dưới, hoặc tải lên tệp.",
        "The figures in use have no actuals: add them in the actuals editor below, or upload a file.",
    ),
    "data.col.actual": ("Thực tế (triệu USD)", "Actual (million USD)"),
    "data.total": ("Tổng toàn tỉnh", "Province total"),
    "data.replace": ("Thay bằng số liệu của bạn", "Use your own figures"),
    "data.replace_help": (
        "Sửa trực tiếp trong bảng hoặc tải lên tệp CSV/Excel (tối đa 2 MB). Thay đổi chỉ áp dụng cho phiên làm việc của bạn; "
        "người khác vẫn thấy dữ liệu gốc. Nếu có lỗi, dữ liệu đang dùng được giữ nguyên.",
        "Edit the table or upload a CSV/Excel file (2 MB at most). Changes apply to your session only; others still see "
        "the bundled plan. If anything is wrong, the data in use stays as it was.",
    ),
    "data.edit_sectors": ("Sửa bảng nhóm hàng", "Edit the sector table"),
    "data.edit_actuals": ("Sửa bảng số thực tế (thêm dòng cho năm mới)", "Edit the actuals (add rows for new years)"),
    "data.edit_lost_on_close": (
        "Các thay đổi chưa áp dụng mất đi khi đóng mục này hoặc sang trang khác.",
        "Changes not yet applied are lost when this section is closed or another page is opened.",
    ),
    "data.pending": ("Thay đổi chưa áp dụng: {n}.", "Changes not yet applied: {n}."),
    "data.apply_edits": ("Áp dụng các thay đổi", "Apply the changes"),
    "data.applied": ("Đã áp dụng dữ liệu mới (mã {fingerprint}).", "New data applied (code {fingerprint})."),
    "data.unchanged": (
        "Tệp hợp lệ nhưng giống hệt dữ liệu đang dùng (mã {fingerprint}): không có gì thay đổi.",
        "The file is valid but identical to the data in use (code {fingerprint}): nothing changed.",
    ),
    "data.problems": (
        "Chưa áp dụng: dữ liệu có {n} lỗi. Dữ liệu đang dùng được giữ nguyên.",
        "Not applied: the data has {n} problem(s). The data in use is unchanged.",
    ),
    "data.upload": (
        "Tải lên tệp CSV hoặc Excel (bảng nhóm hàng hoặc bảng số thực tế)",
        "Upload a CSV or Excel file (sector table or actuals table)",
    ),
    "data.templates": (
        "Tải mẫu (điền sẵn số liệu hiện tại)",
        "Download a template (pre-filled with the current figures)",
    ),
    "data.tpl_sectors_csv": ("Mẫu nhóm hàng (CSV)", "Sector template (CSV)"),
    "data.tpl_sectors_xlsx": ("Mẫu nhóm hàng (Excel)", "Sector template (Excel)"),
    "data.tpl_actuals_csv": ("Mẫu số thực tế (CSV)", "Actuals template (CSV)"),
    "data.tpl_actuals_xlsx": ("Mẫu số thực tế (Excel)", "Actuals template (Excel)"),
    "data.reset": ("Trở về dữ liệu gốc", "Back to the bundled plan"),
    "data.reset_done": ("Đã trở về dữ liệu gốc.", "Back on the bundled plan."),
    "data.other_province": (
        "Tỉnh khác: quản trị viên có thể thêm trên máy chủ một thư mục số liệu cùng cấu trúc (plan.toml, "
        "sectors.csv, actuals.csv, sources.csv); tệp README hướng dẫn cách làm.",
        "Another province: an administrator can add a data folder with the same files (plan.toml, sectors.csv, "
        "actuals.csv, sources.csv) on the server; the README explains how.",
    ),
    # the data editor's columns (Vietnamese: the template's headers, which problems also name)
    "edit.id": ("Mã ngành", "Sector code"),
    "edit.name_vi": ("Tên ngành", "Name (Vietnamese)"),
    "edit.name_en": ("Tên tiếng Anh", "Name (English)"),
    "edit.base_musd": ("Giá trị năm gốc (triệu USD)", "Base-year value (million USD)"),
    "edit.base_status": ("Trạng thái giá trị gốc", "Base value: status"),
    "edit.base_source": ("Nguồn giá trị gốc", "Base value: source"),
    "edit.base_note": ("Ghi chú giá trị gốc", "Base value: note"),
    "edit.growth_status": ("Trạng thái tăng trưởng", "Growth: status"),
    "edit.growth_source": ("Nguồn tăng trưởng", "Growth: source"),
    "edit.growth_note": ("Ghi chú tăng trưởng", "Growth: note"),
    "edit.volatility_pp": ("Độ biến động (điểm %)", "Volatility (percentage points)"),
    "edit.volatility_status": ("Trạng thái độ biến động", "Volatility: status"),
    "edit.volatility_source": ("Nguồn độ biến động", "Volatility: source"),
    "edit.volatility_note": ("Ghi chú độ biến động", "Volatility: note"),
    "edit.sector": ("Ngành", "Sector or total"),
    "edit.value_musd": ("Giá trị (triệu USD)", "Value (million USD)"),
    "edit.bound": ("Cận (trên/dưới)", "Bound (upper/lower)"),
    # --- saved datasets (Data page)
    "ds.title": ("Bộ dữ liệu đã lưu", "Saved datasets"),
    "ds.help": (
        "Lưu số liệu đang dùng (sau khi tải lên hoặc sửa) trên máy chủ: đồng nghiệp mở được qua liên kết, và "
        "các kịch bản đã lưu được tính đúng trên số liệu đó. Số liệu chưa lưu chỉ có trong phiên của bạn.",
        "Save the figures in use (after an upload or an edit) on the server: colleagues can open them from a "
        "link, and saved scenarios are computed on them. Unsaved figures stay in your session only.",
    ),
    "ds.save": ("Lưu số liệu đang dùng thành bộ dữ liệu", "Save the figures in use as a dataset"),
    "ds.name": ("Tên bộ dữ liệu", "Dataset name"),
    "ds.save_button": ("Lưu bộ dữ liệu", "Save the dataset"),
    "ds.saved": ("Đã lưu bộ dữ liệu «{name}» (mã {fingerprint}).", "Saved the dataset “{name}” (code {fingerprint})."),
    "ds.bundled": (
        "Đang dùng bộ dữ liệu gốc: không cần lưu. Tải lên hoặc sửa số liệu ở trên để có số liệu riêng.",
        "The bundled figures need no saving: upload or edit figures above first.",
    ),
    "ds.already": ("Số liệu đang dùng đã được lưu: «{name}».", "The figures in use are saved as “{name}”."),
    "ds.empty": ("Chưa có bộ dữ liệu nào được lưu.", "No dataset saved yet."),
    "ds.col.saved": ("Lưu lúc (giờ Việt Nam)", "Saved (Vietnam time)"),
    "ds.col.from": ("Làm từ bộ số liệu", "Derived from"),
    "ds.col.code": ("Mã số liệu", "Data code"),
    "ds.col.in_use": ("Đang dùng", "In use"),
    "ds.manage": ("Thao tác với bộ dữ liệu", "Manage a dataset"),
    "ds.pick": ("Chọn bộ dữ liệu", "Pick a dataset"),
    "ds.open": ("Dùng bộ dữ liệu này", "Use this dataset"),
    "ds.opened": ("Đang dùng {data}.", "Now using {data}."),
    "ds.cannot_open": ("Không dùng được: {data}.", "Cannot be used: {data}."),
    "ds.download_sectors": ("Bảng nhóm hàng (Excel)", "Sector table (Excel)"),
    "ds.download_actuals": ("Bảng số thực tế (Excel)", "Actuals table (Excel)"),
    "ds.downloads": (
        "Tải về (đọc lại được bằng ô tải lên ở trên):",
        "Download (the upload above reads these files back):",
    ),
    "ds.confirm_delete": (
        "Tôi chắc chắn muốn xóa bộ dữ liệu «{name}» (có thể khôi phục trong thùng rác)",
        "I am sure I want to delete the dataset “{name}” (it can be restored from the bin)",
    ),
    "ds.deleted": (
        "Đã xóa bộ dữ liệu «{name}». Kịch bản và liên kết làm trên bộ này sẽ báo thiếu số liệu cho tới khi khôi phục.",
        "Deleted the dataset “{name}”. Scenarios and links made on it will say their figures are missing until "
        "it is restored.",
    ),
    "ds.name_empty": ("Hãy đặt tên cho bộ dữ liệu.", "Give the dataset a name."),
    "ds.name_taken": (
        "Đã có bộ dữ liệu tên này; hãy chọn tên khác.",
        "A dataset with this name exists; choose another.",
    ),
    "dl.title": ("Tải xuống", "Downloads"),
    "dl.caption": (
        "Tệp được tạo ngay trên máy chủ nội bộ, không cần Internet. Bảng Excel có thêm trang tham số và nguồn số liệu.",
        "Files are made on the internal server, no internet needed. The Excel workbook adds the parameters and sources.",
    ),
    "dl.chart": ("Tải biểu đồ", "Download the chart"),
    # --- method page
    "method.notes_other_data": (
        "Các ghi chú trên nói về bộ số liệu gốc; số liệu đang dùng đã được thay đổi (xem trang Dữ liệu).",
        "These notes describe the bundled figures; the data in use has been changed (see the Data page).",
    ),
    "method.link": ("Trang gốc", "Page"),
    "method.sources": ("Nguồn số liệu", "Sources"),
    # --- exports (ui/exports/): files, workbook sheets and the one-page brief
    "export.sheet.projection": ("Dự báo", "Projection"),
    "export.col.sector_musd": ("{name} (triệu USD)", "{name} (million USD)"),
    "export.col.total": ("Tổng (triệu USD)", "Total (million USD)"),
    "export.col.target": ("Mục tiêu năm {year} (triệu USD)", "{year} target (million USD)"),
    "export.col.required": ("Đường cần đạt {rate}/năm (triệu USD)", "Required path, {rate} a year (million USD)"),
    "export.col.actual_status": ("Trạng thái số thực tế", "Status of the actual"),
    "export.col.parameter": ("Tham số", "Parameter"),
    "export.col.unit": ("Đơn vị / ghi chú", "Unit / note"),
    "export.p.province": ("Tỉnh", "Province"),
    "export.p.scheme": ("Đề án", "Scheme"),
    "export.p.plan": ("Bộ dữ liệu", "Data set"),
    "export.p.fingerprint": ("mã dữ liệu {code}", "data code {code}"),
    "export.p.gap_pct": ("Chênh lệch so với mục tiêu (%)", "Gap to the target (%)"),
    "export.p.implied": ("Tăng bình quân {base}–{year} của kịch bản", "Scenario's average growth {base}–{year}"),
    "export.p.required": ("Tăng bình quân {base}–{year} cần đạt", "Required average growth {base}–{year}"),
    "export.p.link": ("Liên kết chia sẻ", "Share link"),
    "export.src.figures": ("Số liệu và nguồn", "Figures and their sources"),
    "export.src.actuals": ("Số liệu thực tế", "Actual figures"),
    "export.src.list": ("Danh mục nguồn", "List of sources"),
    "export.src.total": ("Toàn tỉnh", "Province total"),
    "export.src.col.figure": ("Số liệu", "Figure"),
    "export.src.col.unit": ("Đơn vị", "Unit"),
    "export.src.col.source": ("Nguồn (mã)", "Source (id)"),
    "export.src.col.url": ("Địa chỉ", "Address"),
    "export.fig.base": ("Giá trị năm gốc {year}", "Base value {year}"),
    "export.fig.growth": ("Tăng trưởng mặc định", "Default growth"),
    "export.fig.volatility": ("Độ biến động", "Volatility"),
    "export.fig.target": ("Mục tiêu năm {year}", "{year} target"),
    "export.fig.required": ("Tăng trưởng bình quân cần đạt", "Required average growth"),
    "export.brief.date": ("Ngày {date}", "{date}"),
    "export.brief.sectors": ("Theo nhóm hàng", "By sector"),
    "export.brief.params": ("Thông số kịch bản", "Scenario parameters"),
    "export.brief.probability_note": (
        "Xác suất: {n} đường mô phỏng, lượt mô phỏng số {seed}.",
        "Probability: {n} simulated paths, simulation number {seed}.",
    ),
    "export.brief.sources": ("Nguồn và trạng thái số liệu", "Data sources and status"),
    "export.brief.status_counts": (
        "Số liệu đầu vào theo trạng thái: {counts}. Số suy ra và giả định không phải số liệu chính thức.",
        "Input figures by status: {counts}. Derived and assumed figures are not official statistics.",
    ),
    "export.brief.link": ("Liên kết mở đúng kịch bản này:", "Link that opens this exact scenario:"),
    "export.download.csv": ("Bảng dự báo (CSV)", "Projection table (CSV)"),
    "export.download.xlsx": ("Bảng dự báo (Excel)", "Projection workbook (Excel)"),
    "export.download.json": ("Kịch bản (JSON)", "Scenario (JSON)"),
    "export.download.png": ("Biểu đồ (PNG)", "Chart (PNG)"),
    "export.download.svg": ("Biểu đồ (SVG)", "Chart (SVG)"),
    "export.download.pdf": ("Bản tóm tắt một trang (PDF)", "One-page brief (PDF)"),
    "export.load_json": ("Mở kịch bản từ tệp JSON", "Open a scenario from a JSON file"),
    "export.loaded": ("Đã mở kịch bản từ tệp.", "Scenario opened from the file."),
    "export.error.too_large": ("Tệp quá lớn (tối đa 100 kB).", "The file is too large (100 kB at most)."),
    "export.error.not_text": ("Tệp không phải văn bản UTF-8.", "The file is not UTF-8 text."),
    "export.error.bad_json": ("Tệp không phải JSON hợp lệ.", "The file is not valid JSON."),
    "export.error.not_object": ("Tệp JSON không chứa một kịch bản.", "The JSON file does not hold a scenario."),
    "export.error.wrong_schema": (
        "Tệp JSON không phải kịch bản của ứng dụng này.",
        "The JSON file is not a scenario of this app.",
    ),
    "export.error.bad_version": (
        "Phiên bản tệp kịch bản không được hỗ trợ.",
        "This scenario file version is not supported.",
    ),
    "export.error.duplicate_key": (
        "Tệp kịch bản ghi một tham số hai lần; mỗi tham số chỉ được ghi một lần.",
        "The scenario file gives one parameter twice; each may be given once.",
    ),
    "export.error.bad_value": (
        "Tệp kịch bản có giá trị không hợp lệ (chỉ chấp nhận chữ hoặc số).",
        "The scenario file has an invalid value (only text or numbers are accepted).",
    ),
    "export.kpi.total": ("Kim ngạch dự báo {year}", "Projected exports {year}"),
    "export.kpi.gap": ("Chênh lệch so với mục tiêu", "Gap to the target"),
    "export.kpi.growth": ("Tăng bình quân / cần đạt", "Average growth / required"),
    "export.kpi.probability": ("Xác suất đạt mục tiêu", "Probability of reaching it"),
    "export.brief.title": ("{province} — Kịch bản xuất khẩu: {name}", "{province} — Export scenario: {name}"),
    "export.current": ("kịch bản hiện tại", "current scenario"),
    "export.brief.data": ("Dữ liệu: {data}", "Data: {data}"),
    "export.file.comparison": ("so-sanh", "comparison"),
    "export.p.date": ("Ngày lập", "Date"),
    "export.p.data": ("Dữ liệu sử dụng", "Data used"),
    "export.p.record": ("Thực tế (số liệu đã công bố)", "The record (reported figures)"),
    "export.sheet.backtest": ("Đối chiếu thực tế", "Backtest"),
    "export.print.page": ("Trang &P / &N", "Page &P of &N"),
    "export.compare.title": ("{province} — So sánh kịch bản", "{province} — Scenario comparison"),
    "export.compare.col.total": ("Dự báo năm mục tiêu (triệu USD)", "Projected, target year (million USD)"),
    "export.compare.params": ("Thông số khác nhau giữa các kịch bản", "Parameters that differ"),
    "export.compare.same": ("Các kịch bản có cùng mọi thông số.", "The scenarios share every parameter."),
    "export.compare.link": ("Liên kết mở phần so sánh này:", "Link that opens this comparison:"),
    # --- backtest: the plan's view from its base year against the records since (model/backtest.py)
    "backtest.error_note": (
        "Sai lệch = thực tế − dự báo; số dương: thực tế cao hơn dự báo.",
        "Error = record − projection; positive: the record ran above the projection.",
    ),
    "backtest.direction.too_low": ("thấp hơn thực tế", "was too low"),
    "backtest.direction.about_right": ("sát thực tế", "was about right"),
    "backtest.direction.too_high": ("cao hơn thực tế", "was too high"),
    "backtest.direction.mixed": (
        "lúc thấp hơn, lúc cao hơn thực tế",
        "was too low in some years and too high in others",
    ),
    "backtest.grade.good": ("tốt", "good"),
    "backtest.grade.fair": ("khá", "fair"),
    "backtest.grade.poor": ("kém", "poor"),
    "backtest.grade.too_few": (
        "chưa có (một năm số thực tế là quá ít để đánh giá)",
        "none (one recorded year is too few to rate)",
    ),
    "bound.upper": ("cận trên", "upper bound"),
    "bound.lower": ("cận dưới", "lower bound"),
    "backtest.col.bound": ("Giới hạn", "Bound"),
    "backtest.col.error_musd": ("Sai lệch (triệu USD)", "Error (million USD)"),
    "backtest.col.error_pct": ("Sai lệch (%)", "Error (%)"),
    "backtest.col.p10": ("P10 (triệu USD)", "P10 (million USD)"),
    "backtest.col.p90": ("P90 (triệu USD)", "P90 (million USD)"),
    "backtest.col.inside": ("Trong dải P10–P90", "Inside P10–P90"),
    # --- problems with an upload, an edit or a plan (ui/problems.py fills the fields)
    # --- model/plan.py
    "problem.not_a_number": ("{where}: “{value}” không phải là một số.", "{where}: “{value}” is not a number."),
    "problem.not_a_number.empty": (
        "{where}: ô này đang trống, cần nhập một số.",
        "{where}: the cell is empty; a number is needed.",
    ),
    "problem.bad_status": (
        "{where}: trạng thái “{value}” không hợp lệ; hãy dùng một trong: {statuses}.",
        "{where}: the status “{value}” is not valid; use one of: {statuses}.",
    ),
    "problem.missing_column": ("{file_cap} thiếu cột “{column}”.", "{file_cap} has no column “{column}”."),
    "problem.no_rows": (
        "{file_cap} không có dòng số liệu nào (chỉ có dòng tiêu đề).",
        "{file_cap} has no data rows (only the header row).",
    ),
    "problem.name_hidden_chars": (
        "{where}: tên ngành có ký tự điều khiển hoặc ký tự ẩn ({value}), như dấu xuống dòng, dấu đảo chiều chữ "
        "hay khoảng trắng không độ rộng; hãy gõ lại tên trên một dòng.",
        "{where}: the sector's name has control or invisible characters ({value}), such as a line break, a "
        "text-direction mark or a zero-width space; type the name again on one line.",
    ),
    "problem.name_unreadable": (
        "{where}: tên ngành “{value}” không có chữ cái hay chữ số nào để đọc.",
        "{where}: the sector's name “{value}” has no letter or digit to read.",
    ),
    "problem.name_too_long": (
        "{where}: tên ngành dài {count} ký tự; tối đa {name_limit} ký tự, để vừa nhãn thanh trượt và biểu đồ.",
        "{where}: the sector's name has {count} characters; at most {name_limit}, to fit the slider's label "
        "and the charts.",
    ),
    "problem.bad_sector_id": (
        "{where}: mã ngành “{value}” không hợp lệ; mã gồm chữ thường không dấu, chữ số hoặc dấu gạch dưới, "
        "bắt đầu bằng một chữ cái, tối đa 24 ký tự (ví dụ: textiles).",
        "{where}: the sector id “{value}” is not valid; use lowercase ASCII letters, digits or underscores, "
        "starting with a letter, 24 characters at most (e.g. textiles).",
    ),
    "problem.duplicate_sector": (
        "{where}: mã ngành “{value}” trùng với một dòng phía trên.",
        "{where}: the sector id “{value}” repeats an earlier row.",
    ),
    "problem.negative": (
        "{where}: giá trị “{value}” bị âm; giá trị xuất khẩu phải từ 0 trở lên.",
        "{where}: the value “{value}” is negative; an export value must be 0 or more.",
    ),
    "problem.growth_out_of_range": (
        "{where}: tăng trưởng “{value}” nằm ngoài khoảng cho phép (từ {growth_low} đến {growth_high} %/năm).",
        "{where}: the growth “{value}” is outside the allowed range ({growth_low} to {growth_high}% a year).",
    ),
    "problem.volatility_out_of_range": (
        "{where}: độ biến động “{value}” nằm ngoài khoảng cho phép (từ {vol_low} đến {vol_high} điểm\u00a0%).",
        "{where}: the volatility “{value}” is outside the allowed range ({vol_low} to {vol_high} points).",
    ),
    "problem.value_too_large": (
        "{where}: giá trị “{value}” lớn hơn {value_limit} triệu USD, hơn cả kim ngạch xuất khẩu của cả nước; "
        "hãy kiểm tra đơn vị (triệu USD) và định dạng ô.",
        "{where}: the value “{value}” is above {value_limit} million USD, more than the whole country's exports; "
        "check the unit (million USD) and the cell's format.",
    ),
    "problem.zero_total": (
        "Trong {file_lower}, tổng cột “{column}” của các ngành nhỏ hơn {min_total} triệu USD; tổng giá trị năm gốc "
        "của các ngành cần ít nhất {min_total} triệu USD.",
        "In {file_lower}, the column “{column}” adds up to less than {min_total} million USD; the sectors' base "
        "values need to add up to at least {min_total} million USD.",
    ),
    "problem.unknown_sector": (
        "{where}: ngành “{value}” không có trong bảng ngành của kế hoạch; hãy dùng mã ngành, "
        "hoặc “tổng” cho tổng toàn tỉnh.",
        "{where}: the sector “{value}” is not in the plan's sector table; use a sector id, "
        "or “total” for the province total.",
    ),
    "problem.bad_year": (
        "{where}: năm “{value}” không hợp lệ; năm phải là số nguyên, từ năm gốc của kế hoạch đến {horizon} "
        "(tầm nhìn của kế hoạch).",
        "{where}: the year “{value}” is not valid; a year is a whole number from the plan's base year to {horizon} "
        "(the plan's horizon).",
    ),
    "problem.bad_bound": (
        "{where}: “{value}” không hợp lệ; để trống, hoặc ghi “cận trên” (số là mức tối đa) hay “cận dưới” (mức tối thiểu).",
        "{where}: “{value}” is not valid; leave it empty, or write “upper” (the value is at most) or “lower” (at least).",
    ),
    "problem.duplicate_year": (
        "{where}: năm {value} đã có ở một dòng phía trên (cùng ngành).",
        "{where}: the year {value} repeats an earlier row (same sector).",
    ),
    # --- model/upload.py
    "problem.empty_file": ("{file_cap} trống, không có dữ liệu.", "{file_cap} is empty."),
    "problem.too_large": (
        "{file_cap} quá lớn ({size}); tệp tải lên tối đa {limit}.",
        "{file_cap} is too large ({size}); uploads are limited to {limit}.",
    ),
    "problem.excel_too_large": (
        "{file_cap} chứa quá nhiều dữ liệu ({size} sau khi giải nén; tối đa {unpacked_limit}).",
        "{file_cap} holds too much data ({size} unpacked; {unpacked_limit} at most).",
    ),
    "problem.unsupported_type": (
        "{file_cap} có định dạng “{value}” không được hỗ trợ; hãy tải lên tệp CSV (.csv) hoặc Excel (.xlsx).",
        "{file_cap} has the unsupported type “{value}”; upload a CSV (.csv) or Excel (.xlsx) file.",
    ),
    "problem.unsupported_type.none": (
        "{file_cap} không có phần mở rộng; hãy tải lên tệp CSV (.csv) hoặc Excel (.xlsx).",
        "{file_cap} has no extension; upload a CSV (.csv) or Excel (.xlsx) file.",
    ),
    "problem.not_a_table": (
        "{file_cap} không phải là một bảng số liệu{what}; hãy tải lên tệp CSV (UTF-8, UTF-16 hoặc Windows-1258) "
        "hoặc Excel (.xlsx) có một dòng tiêu đề và các dòng số liệu.",
        "{file_cap} is not a table{what}; upload a CSV (UTF-8, UTF-16 or Windows-1258) or Excel (.xlsx) file "
        "with a header row and data rows.",
    ),
    "problem.excel_formula": (
        "{where}: ô chứa công thức “{value}”; chỉ nhận số liệu, hãy sao chép và dán dưới dạng giá trị.",
        "{where}: the cell holds the formula “{value}”; only data is accepted, so copy and paste it as values.",
    ),
    "problem.excel_several_sheets": (
        "{file_cap} có nhiều trang tính chứa dữ liệu ({value}); hãy để số liệu trong một trang tính duy nhất.",
        "{file_cap} has several sheets with data ({value}); keep the figures on a single sheet.",
    ),
    "problem.too_many_rows": (
        "{file_cap} có quá nhiều dòng (tối đa {count} dòng số liệu).",
        "{file_cap} has too many rows ({count} data rows at most).",
    ),
    "problem.too_many_columns": (
        "{where}: có dữ liệu nằm ngoài {count} cột đầu tiên; bảng số liệu có tối đa {count} cột.",
        "{where}: a value lies beyond the first {count} columns; a table has {count} columns at most.",
    ),
    "problem.too_many_cells": (
        "{file_cap} có quá nhiều ô (hơn {count} ô, kể cả ô trống đã được định dạng); hãy chép riêng bảng số liệu "
        "sang một tệp mới.",
        "{file_cap} holds too many cells (more than {count}, formatted empty cells included); copy just the table "
        "into a new file.",
    ),
    "problem.parse_timeout": (
        "Đã dừng đọc {file_lower} sau {value} giây; một bảng số liệu của kế hoạch chỉ cần một phần nhỏ thời gian "
        "này. Hãy chép riêng bảng số liệu sang một tệp mới, hoặc lưu dưới dạng CSV.",
        "Reading {file_lower} was stopped after {value} seconds; a plan's table takes a small fraction of that. "
        "Copy just the table into a new file, or save it as CSV.",
    ),
    "problem.cancelled": (
        "Đã dừng đọc {file_lower} vì phiên làm việc đã đóng.",
        "Reading {file_lower} was stopped because the session was closed.",
    ),
    "problem.wrong_columns": (
        "{where}: dòng tiêu đề không có các cột cần thiết (tìm thấy: {value}). Bảng ngành cần các cột "
        "{expected_sectors}; bảng số thực tế cần các cột {expected_actuals}.",
        "{where}: the header row does not have the columns needed (found: {value}). A sector table needs "
        "{expected_sectors}; an actuals table needs {expected_actuals}.",
    ),
    "problem.duplicate_column": (
        "{file_cap} có hai cột cho cùng mục “{column}” (cột thừa: “{value}”); hãy xoá một trong hai cột.",
        "{file_cap} has two columns for “{column}” (the extra one: “{value}”); delete one of them.",
    ),
    "problem.ambiguous_number": (
        "{where}: không rõ “{value}” là số nguyên có dấu phân cách hàng nghìn hay số thập phân; "
        "hãy viết số nguyên không có dấu phân cách (1234) hoặc thêm một chữ số 0 vào số thập phân (1,2340).",
        "{where}: “{value}” could be a whole number with a thousands separator or a decimal; "
        "write whole numbers without a separator (1234) or add a zero to the decimal (1.2340).",
    ),
    "problem.sector_in_use": (
        "{file_cap} không còn ngành “{value}” nhưng số thực tế vẫn dùng ngành này; hãy giữ ngành đó "
        "hoặc xoá số thực tế của nó trước.",
        "{file_cap} drops the sector “{value}”, which the actuals still use; keep the sector or remove its "
        "actuals first.",
    ),
    "problem.unreadable": (
        "Không đọc được {file_lower} (chi tiết kỹ thuật, bằng tiếng Anh: {value}); hãy mở tệp và lưu lại dưới "
        "dạng .xlsx hoặc CSV UTF-8.",
        "Could not read {file_lower} (technical detail: {value}); open it and save it again as .xlsx or UTF-8 CSV.",
    ),
    "problem.unknown": ("{where}: lỗi “{code}” (giá trị “{value}”).", "{where}: problem “{code}” (value “{value}”)."),
    "problem.missing_field": ("{where}: thiếu giá trị bắt buộc.", "{where}: a required value is missing."),
    "problem.bad_field": ("{where}: giá trị “{value}” không hợp lệ.", "{where}: the value “{value}” is not valid."),
    "problem.bad_date": (
        "{where}: “{value}” không phải là một ngày hợp lệ; hãy viết theo dạng năm-tháng-ngày, ví dụ 2025-07-01.",
        "{where}: “{value}” is not a valid date; write it as year-month-day, e.g. 2025-07-01.",
    ),
    "problem.too_many_items": (
        "{file_cap} có {count} {items}; tối đa {item_limit} {items}.",
        "{file_cap} has {count} {items}; at most {item_limit} are allowed.",
    ),
    "problem.too_many_items.other": (
        "{file_cap} có quá nhiều mục ({count}).",
        "{file_cap} has too many items ({count}).",
    ),
    "problem.text_too_long": (
        "{where}: nội dung dài quá {max_text} ký tự; hãy rút gọn.",
        "{where}: the text is longer than {max_text} characters; shorten it.",
    ),
    "problem.plan_too_large": (
        "Bộ dữ liệu quá lớn ({size}); tối đa {plan_limit}.",
        "The dataset is too large ({size}); {plan_limit} at most.",
    ),
    "problem.items.sectors": ("ngành", "sectors"),
    "problem.items.actuals": ("dòng số thực tế", "actual rows"),
    "problem.items.sources": ("nguồn", "sources"),
    "problem.items.presets": ("kịch bản dựng sẵn", "presets"),
    "problem.items.events": ("sự kiện", "events"),
    "problem.items.presets.growth_add": ("mức tăng thêm theo ngành", "per-sector additions"),
    "problem.where.file": ("Tệp “{file}”", "File “{file}”"),
    "problem.where.row": ("dòng {row}", "row {row}"),
    "problem.where.column": ("cột “{column}”", "column “{column}”"),
    "problem.where.table": ("Bảng", "The table"),
    "problem.part.file": ("tệp “{file}”", "the file “{file}”"),
    "problem.part.table": ("bảng", "the table"),
    "problem.part.more": ("… và {n} lỗi khác.", "… and {n} more problem(s)."),
    "problem.part.what": (" (đây là {what})", " (it is {what})"),
    "problem.what.PDF": ("tài liệu PDF", "a PDF document"),
    "problem.what.PNG": ("ảnh PNG", "a PNG image"),
    "problem.what.JPEG": ("ảnh JPEG", "a JPEG image"),
    "problem.what.GIF": ("ảnh GIF", "a GIF image"),
    "problem.what.ZIP": ("tệp nén ZIP", "a ZIP archive"),
    "problem.what.OLE2": ("tệp Office cũ", "a legacy Office file"),
    "problem.what.RTF": ("văn bản RTF", "an RTF document"),
    # --- the record against the plan (backtest)
    "backtest.sentence": (
        "Nhìn từ năm {base}, dự báo {direction}: số thực tế {years} lệch khỏi dự báo bình quân {error} "
        "(sai lệch tuyệt đối, tính trên số dự báo); {inside}/{n} năm nằm trong dải 10–90%. Đánh giá: {grade}.",
        "As seen from {base}, the projection {direction}: the record {years} is off the projection by {error} on "
        "average (absolute error, as a share of the projection); {inside} of {n} years inside the 10–90% band. "
        "Rating: {grade}.",
    ),
    "backtest.short": (
        "So với thực tế {years}: {direction} (thực tế lệch khỏi dự báo bình quân {error}; {inside}/{n} năm trong dải "
        "10–90%).",
        "Against the record {years}: {direction} (the record off the projection by {error} on average; {inside} of "
        "{n} years in the 10–90% band).",
    ),
    "backtest.title": ("Dự báo từ năm {base} so với thực tế", "The projection from {base} against the record"),
    "backtest.none": (
        "Chưa có số thực tế sau năm gốc {base} để so sánh.",
        "No recorded figure after the base year {base} yet to compare with.",
    ),
    "backtest.col.projection": ("Dự báo từ {base} (triệu USD)", "Projected from {base} (million USD)"),
    # the Overview's table: short headers, the units said once below it
    "backtest.head.actual": ("Thực tế", "Record"),
    "backtest.head.projection": ("Dự báo", "Projected"),
    "backtest.head.error": ("Chênh lệch", "Difference"),
    "backtest.head.band": ("Dải 10–90%", "10–90%"),
    "backtest.head.inside": ("Trong dải?", "Inside?"),
    "backtest.units": (
        "Giá trị: triệu USD; «Chênh lệch»: số thực tế trừ dự báo từ năm {base}.",
        "Values: million USD; “Difference”: the record minus the projection from {base}.",
    ),
    # --- generic
    "word.id": ("Mã", "Id"),
    "word.item": ("Chỉ tiêu", "Item"),
    "word.note": ("Ghi chú", "Note"),
    "word.scenario": ("Kịch bản", "Scenario"),
    "word.sector": ("Nhóm hàng", "Sector"),
    "word.source": ("Nguồn", "Source"),
    "word.status": ("Trạng thái", "Status"),
    "word.total": ("Tổng", "Total"),
    "word.value": ("Giá trị", "Value"),
    "word.verdict": ("Kết luận", "Verdict"),
    "word.year": ("Năm", "Year"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
}


def t(name: str, lang: str, /, **fields: object) -> str:
    """The text in `lang`, its fields filled in as they are: for plain-text places (tables,
    files, the PDF, option lists). For anything Streamlit renders as Markdown, use `md`."""
    vi, en = TEXT[name]
    template = en if lang == "en" else vi
    return template.format(**fields) if fields else template


_MARKDOWN_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_{}[]()<>#+-.!|:~$=&\"'^%@/,;?"})


def md(text: str) -> str:
    """`text` as Markdown that shows exactly these characters: every ASCII punctuation
    character is escaped, so nothing a user typed (a name, a link value, a cell) can become
    a link, an image, HTML, a colour, an icon or LaTeX where Streamlit renders Markdown."""
    return str(text).translate(_MARKDOWN_SPECIAL)


def one_line(text: str) -> str:
    """Runs of whitespace, line breaks included, as one space: in a Markdown list item a blank
    line would end the item and an indented line start a code block."""
    return " ".join(str(text).split())


def md_line(text: str) -> str:
    """`text` as one line of Markdown showing exactly these characters (see one_line)."""
    return md(one_line(text))


# A widget's label is one line of inline Markdown, and Streamlit also uses it, as typed, for
# the field's accessible name: escape only what can start inline Markdown there (emphasis,
# code, links and images, colours and icons, LaTeX, HTML, entities, autolinks), so that a
# screen reader and a test read "Mục tiêu (triệu USD)", not "Mục tiêu \\(triệu USD\\)".
_LABEL_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_~[]<>$:!#|&@"})
_WWW = re.compile(r"(?i)\b(www)\.")


def label_md(text: str) -> str:
    """`text` (a name from the data, say) as a widget label that shows exactly these characters."""
    return _WWW.sub(r"\1\\.", str(text).translate(_LABEL_SPECIAL))


def tmd(name: str, lang: str, /, **fields: object) -> str:
    """The text in `lang` for a Markdown place: the catalogue's own Markdown is kept, the
    fields (data, names, link values) are escaped with `md`."""
    return t(name, lang, **{k: md(str(v)) for k, v in fields.items()})


def status_label(status: str, lang: str) -> str:
    key = f"status.{status}"
    return t(key, lang) if key in TEXT else status
