"""Spreadsheet ledgers: export to xlsx, import from the xlsx and CSV files people keep."""

from govcloud.tabular.convert import (
    WORKBOOK_FORMATS,
    ImportResult,
    WorkbookFormat,
    import_files,
    template,
    workbook,
)

__all__ = ["WORKBOOK_FORMATS", "ImportResult", "WorkbookFormat", "import_files", "template", "workbook"]
