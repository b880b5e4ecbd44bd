"""The input boundary's refusals (service/contract/boundary.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "field.control_character": (
        "Trường `{field}` chứa ký tự điều khiển hoặc ký tự không hợp lệ (ví dụ NUL).",
        "Field `{field}` contains a control or invalid character (such as NUL).",
    ),
    "field.invalid_encoding": (
        "Trường `{field}` không phải văn bản UTF-8 hợp lệ.",
        "Field `{field}` is not valid UTF-8 text.",
    ),
    "request.too_deep": (
        "Nội dung JSON lồng nhau quá sâu.",
        "The JSON body is nested too deeply.",
    ),
}
