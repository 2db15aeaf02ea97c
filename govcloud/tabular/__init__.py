"""Spreadsheet ledgers: export to xlsx, import from the xlsx and CSV files people keep."""

from govcloud.tabular.convert import ImportResult, import_files, template, workbook

__all__ = ["ImportResult", "import_files", "template", "workbook"]
