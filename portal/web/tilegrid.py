"""A tile-grid map of Iran's 31 provinces: one square each, roughly where it lies.

No province outlines ship offline (plotly's geo maps load them from a CDN), so the glass
wall draws this grid: north at the top, west on the left, like a map.
"""

from __future__ import annotations

# (column, row) per province, west to east and north to south.
TILES: dict[str, tuple[int, int]] = {
    "IR-04": (0, 0),
    "IR-03": (1, 0),
    "IR-24": (2, 0),
    "IR-01": (3, 0),
    "IR-02": (4, 0),
    "IR-27": (5, 0),
    "IR-28": (6, 0),
    "IR-12": (0, 1),
    "IR-19": (1, 1),
    "IR-26": (2, 1),
    "IR-30": (3, 1),
    "IR-23": (4, 1),
    "IR-20": (5, 1),
    "IR-09": (6, 1),
    "IR-05": (0, 2),
    "IR-13": (1, 2),
    "IR-00": (2, 2),
    "IR-25": (3, 2),
    "IR-10": (4, 2),
    "IR-21": (5, 2),
    "IR-29": (6, 2),
    "IR-16": (0, 3),
    "IR-15": (1, 3),
    "IR-14": (2, 3),
    "IR-17": (3, 3),
    "IR-07": (4, 3),
    "IR-08": (5, 3),
    "IR-11": (6, 3),
    "IR-06": (1, 4),
    "IR-18": (3, 4),
    "IR-22": (5, 4),
}
COLUMNS, ROWS = 7, 5

# Short tile labels that fit a square on a phone (the full name is in the hover and table).
SHORT: dict[str, tuple[str, str]] = {
    "IR-00": ("مرکزی", "Markazi"),
    "IR-01": ("گیلان", "Gilan"),
    "IR-02": ("مازندران", "Mazand."),
    "IR-03": ("آذ. شرقی", "E. Azar."),
    "IR-04": ("آذ. غربی", "W. Azar."),
    "IR-05": ("کرمانشاه", "Kermansh."),
    "IR-06": ("خوزستان", "Khuzestan"),
    "IR-07": ("فارس", "Fars"),
    "IR-08": ("کرمان", "Kerman"),
    "IR-09": ("خ. رضوی", "Razavi Kh."),
    "IR-10": ("اصفهان", "Isfahan"),
    "IR-11": ("سیستان", "Sistan B."),
    "IR-12": ("کردستان", "Kurdistan"),
    "IR-13": ("همدان", "Hamadan"),
    "IR-14": ("چهارمحال", "Chaharm."),
    "IR-15": ("لرستان", "Lorestan"),
    "IR-16": ("ایلام", "Ilam"),
    "IR-17": ("کهگیلویه", "Kohgil."),
    "IR-18": ("بوشهر", "Bushehr"),
    "IR-19": ("زنجان", "Zanjan"),
    "IR-20": ("سمنان", "Semnan"),
    "IR-21": ("یزد", "Yazd"),
    "IR-22": ("هرمزگان", "Hormozgan"),
    "IR-23": ("تهران", "Tehran"),
    "IR-24": ("اردبیل", "Ardabil"),
    "IR-25": ("قم", "Qom"),
    "IR-26": ("قزوین", "Qazvin"),
    "IR-27": ("گلستان", "Golestan"),
    "IR-28": ("خ. شمالی", "N. Khor."),
    "IR-29": ("خ. جنوبی", "S. Khor."),
    "IR-30": ("البرز", "Alborz"),
}
