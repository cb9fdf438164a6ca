"""The CNES-CNSA water-cycle mission: an end-to-end simulator and ground processor.

An L-band aperture-synthesis (interferometric) radiometer for soil moisture and ocean salinity
(SMOS/MIRAS heritage and the CNES SMOS-HR concept) and X/Ka channels for snow (WCOM heritage):
from a geophysical scene to visibilities, images and retrieved soil moisture, salinity and snow
water equivalent, validated on real SMOS and SMAP files. No joint design is published: the
instrument numbers are the SMOS ones (the reference) and stated assumptions.

Modules: :mod:`~.instrument` (MIRAS, the HR concept, the snow channels), :mod:`~.geometry`
(director cosines, the hexagonal grid, alias-free fields of view), :mod:`~.interferometry`
(visibility equation, G matrix), :mod:`~.imaging` (regularised inversion, apodisation, flat
target, fast path, radiometric sensitivity), :mod:`~.dielectric` (seawater and soil
permittivity, Fresnel), :mod:`~.ocean` (sea emission, salinity retrieval), :mod:`~.land` and
:mod:`~.land_retrieval` (tau-omega, multi-angular soil-moisture retrieval), :mod:`~.snow` (SMRT
forward runs, snow water equivalent), :mod:`~.io` (SMOS L2, SMAP L2B and L4, the mission's own
products), :mod:`~.ease2` (EASE-Grid 2.0). Names are imported on first use
(``from fcspace import watercycle; watercycle.open_smap_l4_sm(path)``).
"""

from fcspace.core.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        # instrument
        "MIRAS": "instrument",
        "HR_CONCEPT": "instrument",
        "SNOW_CHANNELS": "instrument",
        "InterferometricArray": "instrument",
        # readers and writers
        "open_smos_l2_sm": "io",
        "open_smap_l2b_sss": "io",
        "open_smap_l4_sm": "io",
        "open_water_product": "io",
        "write_water_product": "io",
        # aperture synthesis
        "director_cosines": "geometry",
        "hex_grid": "geometry",
        "alias_free_fov": "geometry",
        "visibilities": "interferometry",
        "g_matrix": "interferometry",
        "reconstruct": "imaging",
        "radiometric_sensitivity": "imaging",
        # emission and retrievals
        "seawater_permittivity": "dielectric",
        "soil_permittivity": "dielectric",
        "fresnel_reflectivity": "dielectric",
        "ocean_tb": "ocean",
        "retrieve_sss": "ocean",
        "LandParams": "land",
        "land_tb": "land",
        "retrieve_soil_moisture": "land_retrieval",
        "snowpack_tb": "snow",
        "retrieve_swe": "snow",
        "fit_swe_coefficients": "snow",
        # modules
        "instrument": "instrument",
        "geometry": "geometry",
        "interferometry": "interferometry",
        "imaging": "imaging",
        "dielectric": "dielectric",
        "ocean": "ocean",
        "land": "land",
        "land_retrieval": "land_retrieval",
        "snow": "snow",
        "io": "io",
        "rules": "rules",
        "ease2": "ease2",
    },
)
