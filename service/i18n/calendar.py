"""The calendar (service/calendar/): the deadline calculator's errors and its page."""

MESSAGES: dict[str, tuple[str, str]] = {
    # The calendar's API.
    "calendar.outside_years": (
        "Ngày bắt đầu {start} nằm ngoài các năm của lịch ({first}–{last}).",
        "The start date {start} is outside the calendar's years ({first}–{last}).",
    ),
    "calendar.beyond_years": (
        "Thời hạn này kết thúc ngày {due}, sau năm cuối của lịch ({last}); hãy nhập thời hạn ngắn hơn.",
        "This limit would end on {due}, past the calendar's last year ({last}); enter a shorter limit.",
    ),
    "holiday.not_a_weekend_day": (
        "Chỉ thứ Bảy hoặc Chủ nhật mới được đánh dấu là ngày làm bù; {day} là ngày làm việc thường.",
        "Only a Saturday or a Sunday can be marked a working weekend day; {day} is an ordinary working day.",
    ),
    # The calculator's page (the form's own checks).
    "calendar.bad_start": (
        "Ngày bắt đầu phải viết dạng dd/mm/yyyy (nhận được `{value}`).",
        "The start date must be written dd/mm/yyyy (got `{value}`).",
    ),
    "calendar.bad_amount": (
        "Độ dài thời hạn phải là một số nguyên từ 1 đến {max}.",
        "The length of the limit must be a whole number from 1 to {max}.",
    ),
    "calendar.bad_unit": ("Hãy chọn một đơn vị trong danh sách.", "Choose a unit from the list."),
    "ui.menu.due_date": ("Tính hạn", "Deadline calculator"),
    "ui.calendar.title": ("Tính hạn", "Deadline calculator"),
    "ui.calendar.intro": (
        "Tính ngày cuối của một thời hạn theo lịch làm việc của cơ quan nhà nước: bỏ qua thứ Bảy, Chủ nhật và ngày "
        "nghỉ lễ, tính cả ngày làm bù. Thời hạn tính bằng ngày, tháng, năm mà ngày cuối là ngày nghỉ thì kết thúc "
        "vào ngày làm việc tiếp theo.",
        "The last day of a time limit by the public service's working calendar: Saturdays, Sundays and days off are "
        "skipped, working weekend days count. A limit in days, months or years whose last day is a day off ends on "
        "the next working day.",
    ),
    "ui.calendar.start": ("Ngày bắt đầu tính (dd/mm/yyyy)", "Start date (dd/mm/yyyy)"),
    "ui.calendar.amount": ("Độ dài thời hạn", "Length of the limit"),
    "ui.calendar.unit": ("Đơn vị", "Unit"),
    "ui.calendar.unit.working_days": ("ngày làm việc", "working days"),
    "ui.calendar.unit.calendar_days": ("ngày", "calendar days"),
    "ui.calendar.unit.months": ("tháng", "months"),
    "ui.calendar.unit.years": ("năm", "years"),
    "ui.calendar.submit": ("Tính hạn", "Compute the due date"),
    "ui.calendar.due": ("Hạn cuối: {due}", "Due date: {due}"),
    "ui.calendar.summary": (
        "Từ ngày {start}: {working} ngày làm việc; bỏ qua {weekend} ngày cuối tuần và {off} ngày nghỉ lễ.",
        "From {start}: {working} working days; {weekend} weekend days and {off} days off skipped.",
    ),
    "ui.calendar.moved": (
        "Ngày {end} là ngày nghỉ nên thời hạn kết thúc vào ngày làm việc tiếp theo (Bộ luật Dân sự 2015, Điều 148 "
        "khoản 5).",
        "{end} is a day off, so the limit ends on the next working day (Civil Code 2015, Article 148.5).",
    ),
    "ui.calendar.exceptions": (
        "Ngày nghỉ lễ và ngày làm bù trong thời hạn",
        "Days off and working weekend days within the limit",
    ),
    "ui.calendar.none": (
        "Không có ngày nghỉ lễ hay ngày làm bù trong thời hạn này.",
        "No day off or working weekend day falls within this limit.",
    ),
    "ui.calendar.col.day": ("Ngày", "Day"),
    "ui.calendar.col.kind": ("Loại", "Kind"),
    "ui.calendar.col.name": ("Tên", "Name"),
    "ui.calendar.col.basis": ("Căn cứ", "Legal basis"),
    "ui.calendar.kind.day_off": ("Ngày nghỉ", "Day off"),
    "ui.calendar.kind.working_day": ("Ngày làm bù", "Working weekend day"),
    "ui.calendar.link": ("Tính hạn theo lịch làm việc", "Compute a deadline by the working calendar"),
}
