"""A picture of an image array in the terminal, for the pyplot stand-in's imshow/matshow: on a
terminal, two pixels a character ('▀' in the top pixel's colour over the bottom one's); else
characters from light to dense, so that a piped or saved output still shows the shapes."""

from __future__ import annotations

import numpy as np

RAMP = " .:-=+*#%@"          # from dark (a blank) to bright
# viridis (matplotlib's default colour map), sampled at five points, interpolated between
VIRIDIS = np.array([(0.267, 0.005, 0.329), (0.229, 0.322, 0.546), (0.128, 0.567, 0.551),
                    (0.369, 0.789, 0.383), (0.993, 0.906, 0.144)])
GRAY_MAPS = ("gray", "grey", "Greys_r", "binary_r", "gist_gray", "bone")
REVERSED_GRAY_MAPS = ("gray_r", "grey_r", "Greys", "binary", "gist_yarg")
VALUE_BYTES = 8               # the float64 copy normalising takes, per value
LUMINANCE = np.array([0.299, 0.587, 0.114])
MIN_COLUMNS = 24              # smaller images are drawn enlarged


def picture(image: np.ndarray, width: int, color: bool, cmap=None, vmin=None,
            vmax=None) -> tuple:
    """(text, columns): the picture of a 2-D (values, through cmap) or HxWx3/HxWx4 (RGB[A])
    image, `columns` <= `width` characters wide."""
    rgb = _resampled(_rgb(image, cmap, vmin, vmax), width)
    text = _blocks(rgb) if color else _characters(rgb @ LUMINANCE)
    return text, rgb.shape[1]


def _rgb(image: np.ndarray, cmap, vmin, vmax) -> np.ndarray:
    """HxWx3 floats in [0, 1] (NaN pixels black: nothing drawn there)."""
    if image.ndim == 3:
        rgb = image[..., :3].astype(np.float64)
        if image.dtype.kind in "iub":
            rgb = rgb / 255.0
        return np.nan_to_num(np.clip(rgb, 0.0, 1.0))
    values = image.astype(np.float64)
    finite = values[np.isfinite(values)]
    lo = float(vmin) if vmin is not None else (float(finite.min()) if finite.size else 0.0)
    hi = float(vmax) if vmax is not None else (float(finite.max()) if finite.size else 1.0)
    scaled = np.clip((values - lo) / (hi - lo), 0.0, 1.0) if hi > lo else np.zeros_like(values)
    rgb = _mapped(np.nan_to_num(scaled), cmap)
    rgb[np.isnan(values)] = 0.0
    return rgb


def _mapped(scaled: np.ndarray, cmap) -> np.ndarray:
    """Values in [0, 1] through a colour map: the gray ones, else viridis."""
    if cmap in GRAY_MAPS:
        return np.repeat(scaled[..., None], 3, axis=-1)
    if cmap in REVERSED_GRAY_MAPS:
        return np.repeat(1.0 - scaled[..., None], 3, axis=-1)
    position = scaled * (len(VIRIDIS) - 1)
    low = np.minimum(position.astype(int), len(VIRIDIS) - 2)
    t = (position - low)[..., None]
    return VIRIDIS[low] * (1 - t) + VIRIDIS[low + 1] * t


def _resampled(rgb: np.ndarray, width: int) -> np.ndarray:
    """Nearest pixels on a grid at most `width` columns wide, the same shape (a character
    cell is about twice as tall as wide: it holds two pixel rows); a tiny image enlarged."""
    height, columns = rgb.shape[:2]
    if columns < MIN_COLUMNS:                   # a tiny image: each pixel made a block
        factor = min(MIN_COLUMNS // columns, max(1, width // columns))
        return rgb.repeat(factor, axis=0).repeat(factor, axis=1)
    if columns <= width:
        return rgb
    rows = max(1, round(height * width / columns))
    ys = (np.arange(rows) * height / rows).astype(int)
    xs = (np.arange(width) * columns / width).astype(int)
    return rgb[ys][:, xs]


def _pairs(image: np.ndarray) -> tuple:
    """The top and bottom pixel rows of each line of characters (an odd last row pairs with
    black)."""
    if image.shape[0] % 2:
        image = np.concatenate([image, np.zeros_like(image[:1])])
    return image[0::2], image[1::2]


def _blocks(rgb: np.ndarray) -> str:
    top, bottom = _pairs(np.round(rgb * 255).astype(int))
    lines = []
    for upper, lower in zip(top, bottom):
        cells = [f"\x1b[38;2;{a[0]};{a[1]};{a[2]}m\x1b[48;2;{b[0]};{b[1]};{b[2]}m▀"
                 for a, b in zip(upper, lower)]
        lines.append("".join(cells) + "\x1b[0m")
    return "\n".join(lines)


def _characters(brightness: np.ndarray) -> str:
    top, bottom = _pairs(brightness)
    levels = np.clip(((top + bottom) / 2 * len(RAMP)).astype(int), 0, len(RAMP) - 1)
    return "\n".join("".join(RAMP[i] for i in row).rstrip() for row in levels)


def scale(low: float, high: float, cmap, width: int, color: bool) -> str:
    """A colorbar as one line: the low value, the colour map's strip, the high value."""
    left, right = f"{low:.3g} ", f" {high:.3g}"
    steps = max(8, width - len(left) - len(right))
    rgb = _mapped(np.linspace(0.0, 1.0, steps), cmap)
    if color:
        codes = np.round(rgb * 255).astype(int)
        strip = "".join(f"\x1b[38;2;{r};{g};{b}m█" for r, g, b in codes) + "\x1b[0m"
    else:
        levels = np.clip((rgb @ LUMINANCE * len(RAMP)).astype(int), 0, len(RAMP) - 1)
        strip = "".join(RAMP[i] for i in levels)
    return left + strip + right


MAX_CONTOUR_ROWS = 48         # pixel rows of a contour picture (24 lines of text)


def contour_bands(z: np.ndarray, levels: np.ndarray, filled: bool, width: int) -> np.ndarray:
    """contour / contourf's picture: z interpolated to the picture's size (row 0 at the
    bottom, as matplotlib draws contours), each pixel the number of its band between levels
    (filled; outside the levels nothing), or of the level a line crosses there (NaN: none)."""
    values = _interpolated(z[::-1].astype(np.float64), width)
    bands = np.searchsorted(levels, values, side="right").astype(np.float64)
    bands[values == levels[-1]] = len(levels) - 1          # the top level closes the last band
    bands[np.isnan(values)] = np.nan
    if filled:
        bands[(bands < 1) | (bands > len(levels) - 1)] = np.nan
        return bands
    lines = np.full(bands.shape, np.nan)
    for shifted, own in ((bands[1:], bands[:-1]), (bands[:, 1:], bands[:, :-1])):
        crossing = shifted != own
        spot = lines[:own.shape[0], :own.shape[1]]
        spot[crossing] = np.fmax(shifted, own)[crossing]
    return lines


def _interpolated(z: np.ndarray, width: int) -> np.ndarray:
    """z resampled bilinearly to at most `width` columns and MAX_CONTOUR_ROWS rows, keeping
    its proportions (a character cell holds two pixel rows)."""
    rows, columns = z.shape
    size = min(width / columns, MAX_CONTOUR_ROWS / rows)
    out_rows, out_columns = max(2, round(rows * size)), max(2, round(columns * size))
    z = _along(z, out_rows, 0)
    return _along(z, out_columns, 1)


def _along(z: np.ndarray, n: int, axis: int) -> np.ndarray:
    length = z.shape[axis]
    if length == 1:
        return np.repeat(z, n, axis=axis)
    place = np.linspace(0, length - 1, n)
    low = np.minimum(place.astype(int), length - 2)
    t = place - low
    shape = [1, 1]
    shape[axis] = n
    t = t.reshape(shape)
    return np.take(z, low, axis=axis) * (1 - t) + np.take(z, low + 1, axis=axis) * t
