"""Reading import files as a stream: format and encoding detection, header mapping, and
row-by-row validation against the import contract of DESIGN.md.

Pure Python with no database access: `open_table()` returns a `Table` whose `rows()`
yields `(line, values)` for every data row (what any text file goes through first -
encoding, bounded CSV records - is in files.py, shared with the insight import; XLSX
workbooks are read by xlsx.py), and a `Validator` turns those values into
clean strings ready for the staging table or into a `(column, reason)` rejection. Nothing
is held per row, so memory stays flat whatever the file size.

A package by job: the contract (contract.py), cell validation (cells.py), the row
validators (validator.py) and opened files (table.py). Every name is importable from
`metrics.importing.reader` as before.
"""

from metrics.importing.files import CsvLines
from metrics.importing.files import ImportFileError
from metrics.importing.reader.cells import CAMPAIGN_NUMBERS
from metrics.importing.reader.cells import DECIMAL_COMMA
from metrics.importing.reader.cells import FORMULA_PREFIXES
from metrics.importing.reader.cells import GROUPED_COMMA_DECIMAL
from metrics.importing.reader.cells import GROUPED_DOT_DECIMAL
from metrics.importing.reader.cells import MAX_COUNT_DIGITS
from metrics.importing.reader.cells import MONEY_RE
from metrics.importing.reader.cells import PLAIN_NUMBER
from metrics.importing.reader.cells import THOUSANDS_RE
from metrics.importing.reader.cells import USAGE_NUMBERS
from metrics.importing.reader.cells import WHOLE_WITH_ZEROS
from metrics.importing.reader.cells import DateCleaner
from metrics.importing.reader.cells import RowError
from metrics.importing.reader.cells import clean_count
from metrics.importing.reader.cells import clean_datetime
from metrics.importing.reader.cells import clean_money
from metrics.importing.reader.cells import clean_text
from metrics.importing.reader.cells import looks_like_formula
from metrics.importing.reader.cells import neutralise
from metrics.importing.reader.contract import CONTRACTS
from metrics.importing.reader.contract import PRESETS
from metrics.importing.reader.contract import Contract
from metrics.importing.reader.contract import Mapping
from metrics.importing.reader.contract import normalise_header
from metrics.importing.reader.contract import resolve_mapping
from metrics.importing.reader.table import Table
from metrics.importing.reader.table import _cell_text as _cell_text  # tests read it
from metrics.importing.reader.table import open_table
from metrics.importing.reader.validator import CAMPAIGN_COUNTS
from metrics.importing.reader.validator import MAX_TEXT
from metrics.importing.reader.validator import NAME_CACHE
from metrics.importing.reader.validator import USAGE_COUNTS
from metrics.importing.reader.validator import Validator
