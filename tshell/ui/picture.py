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
    """HxWx3 floats in [0, 1] (NaN pixels black)."""
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
    scaled = np.nan_to_num(scaled)
    return _mapped(scaled, cmap)


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
