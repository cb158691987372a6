"""The agency's way in: spreadsheets and bare CSVs become data packages.

A workbook or CSV is read (`workbook`, `textfile`), its data table found by its columns
(`columns`), every cell normalised with each change listed (`normalise`), and a data
package written (`build`) that then goes through the same validation as any upload.
`clerk` turns the report into one a clerk can act on, `marked` into a marked copy of the
workbook, `template` writes the workbooks agencies start from.
"""

__all__: list[str] = []  # a face of modules: import them by name
