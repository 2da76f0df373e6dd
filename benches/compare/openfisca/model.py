"""The comparison's three layers as an OpenFisca model (openfisca-core 46.0.1).

The same rules as the tiercost pack benches/compare/pack.json and the Publicodes rules
benches/compare/publicodes-rules.json: one inpatient admission per bill, summed by class
(a 甲类, b 乙类, c 丙类 = out of catalogue), resident insurance, rules of 2025.

- buckets: the first pay of class b is 10 % of it, rounded half up to the fen; in scope is
  a + b − first pay; class c is out of catalogue (the family pays it);
- basic: (in scope − deductible by level) × rate by level, at least 0, at most 150,000;
- 大病: base = in scope − basic + first pay; GROSS bands 60/65/75 % from 0/30,000/100,000 on
  that base, the part below the yearly deductible (12,000; 6,000 for 特困/低保) paying nothing;
  +5 points for 特困/低保; cap 300,000 except none for 特困/低保;
- 医疗救助: only 特困, 低保, 低保边缘; base = what 大病 left of its base; (base − deductible
  by category) × rate by category, at least 0, at most 100,000;
- each payment rounded half up to the fen once (and later layers see the rounded payment);
  the family pays what is left.

One person = one bill; everything is per year (the bill's admission is the year's only one).
The parameters are OpenFisca dated parameters in parameters/ (YAML), each citing pack.json.

`build_system(float64=False)` is the model as OpenFisca ships it: `value_type = float`
variables, whose arrays are numpy float32. `build_system(float64=True)` is the same model
with every float variable stored as float64 (see `Float64Variable`).
"""

from __future__ import annotations

from pathlib import Path

import numpy
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import YEAR
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

PARAMETERS = Path(__file__).resolve().parent / "parameters"

Person = build_entity(
    key="person",
    plural="persons",
    label="A patient: one bill (one inpatient admission)",
    is_person=True,
)


class Level(Enum):
    level1 = "一级 (level 1)"
    level2 = "二级 (level 2)"
    level3 = "三级 (level 3)"


class Category(Enum):
    none = "No assistance category"
    extreme_poverty = "特困人员"
    minimum_living = "低保对象"
    near_minimum_living = "低保边缘家庭成员"


class Float64Variable(Variable):
    """A `value_type = float` variable held as float64.

    OpenFisca maps `value_type = float` to numpy.float32 (openfisca_core.variables.config
    VALUE_TYPES[float]["dtype"]); `Variable.__init__` copies that into `self.dtype`, and
    everything downstream reads `variable.dtype`: the holder casts inputs to it
    (`Holder._to_array`), the simulation casts each formula's result to it
    (`Simulation._cast_formula_result`), and default arrays are made with it
    (`Variable.default_array`). So overriding `self.dtype` after `__init__` is enough to make
    a variable float64 end to end; `value_type` stays `float` (defaults, JSON, the web API).
    """

    def __init__(self, baseline_variable=None) -> None:
        super().__init__(baseline_variable)
        self.dtype = numpy.float64


def round_fen(x, nudge):
    """Half up to the fen, as tiercost rounds each payment (numpy.round is half to even).
    In the float32 model `x` is float32 and so is the arithmetic here (NEP 50: Python floats
    do not widen a float32 array)."""
    return numpy.floor((x + nudge) * 100 + 0.5) / 100


def by_enum(node, key, fancy: bool):
    """A parameter node's value for each person, chosen by an enum variable (level, category).

    fancy=True: OpenFisca's documented way, fancy indexing (`node[enum_array]`). In
    openfisca-core 46.0.1 it builds a Python list of one child per person
    (VectorialParameterNodeAtInstant.build_from_node_name), so it costs microseconds per
    person and lookup. fancy=False: the same values taken from a small table by the enum's
    indices with numpy — what a model can do instead; the results are bit for bit the same
    (run.py checks it)."""
    if fancy:
        return node[key]
    members = key.possible_values
    table = numpy.array([node[m.name] for m in members])
    return table[numpy.asarray(key).view(numpy.ndarray)]


def build_system(float64: bool = False, fancy: bool = True) -> TaxBenefitSystem:
    """The tax-benefit system: the person entity, the variables below and parameters/.
    float64: float variables held as float64 (else float32, as OpenFisca ships);
    fancy: parameters by level and category by fancy indexing (else a numpy table lookup)."""
    Money = Float64Variable if float64 else Variable

    class level(Variable):
        value_type = Enum
        possible_values = Level
        default_value = Level.level3
        entity = Person
        definition_period = YEAR
        label = "Hospital level of the admission"

    class category(Variable):
        value_type = Enum
        possible_values = Category
        default_value = Category.none
        entity = Person
        definition_period = YEAR
        label = "Assistance category (特困, 低保, 低保边缘, or none)"

    class class_a(Money):
        value_type = float
        entity = Person
        definition_period = YEAR
        label = "甲类 amount of the bill (yuan)"

    class class_b(Money):
        value_type = float
        entity = Person
        definition_period = YEAR
        label = "乙类 amount of the bill (yuan)"

    class class_c(Money):
        value_type = float
        entity = Person
        definition_period = YEAR
        label = "丙类 (out of catalogue) amount of the bill (yuan)"

    class bill_total(Money):
        value_type = float
        entity = Person
        definition_period = YEAR
        label = "The bill (yuan)"

        def formula(person, period, parameters):
            return (
                person("class_a", period)
                + person("class_b", period)
                + person("class_c", period)
            )

    class first_pay(Money):
        value_type = float
        entity = Person
        definition_period = YEAR
        label = "乙类先行自付: first pay of the class-b amount, rounded to the fen (yuan)"

        def formula(person, period, parameters):
            p = parameters(period)
            return round_fen(
                person("class_b", period) * p.first_pay_ratio, p.rounding_nudge
            )

    class in_scope(Money):
        value_type = float
        entity = Person
        definition_period = YEAR
        label = "In-scope cost: class a, and class b less its first pay (yuan)"

        def formula(person, period, parameters):
            return (
                person("class_a", period)
                + person("class_b", period)
                - person("first_pay", period)
            )

    class basic_paid(Money):
        value_type = float
        entity = Person
        definition_period = YEAR
        label = "What basic insurance pays (yuan)"

        def formula(person, period, parameters):
            p = parameters(period)
            level = person("level", period)
            deductible = by_enum(p.basic.deductible, level, fancy)
            rate = by_enum(p.basic.rate, level, fancy)
            paid = numpy.clip((person("in_scope", period) - deductible) * rate, 0, p.basic.cap)
            return round_fen(paid, p.rounding_nudge)

    class critical_illness_base(Money):
        value_type = float
        entity = Person
        definition_period = YEAR
        label = "大病 base: what basic left of the in-scope cost, plus the first pay (yuan)"

        def formula(person, period, parameters):
            return (
                person("in_scope", period)
                - person("basic_paid", period)
                + person("first_pay", period)
            )

    class critical_illness_paid(Money):
        value_type = float
        entity = Person
        definition_period = YEAR
        label = "What 大病保险 pays (yuan)"

        def formula(person, period, parameters):
            p = parameters(period).critical_illness
            category = person("category", period)
            base = person("critical_illness_base", period)
            deductible = by_enum(p.deductible, category, fancy)
            # Gross bands: the scale over the whole base, less the scale over the part
            # below the deductible; the points apply to every band, so to all of the base
            # above the deductible.
            bands = p.bands.calc(base) - p.bands.calc(numpy.minimum(base, deductible))
            points = by_enum(p.points, category, fancy)
            paid = bands + points * numpy.maximum(base - deductible, 0)
            paid = numpy.minimum(paid, by_enum(p.cap, category, fancy))
            return round_fen(paid, parameters(period).rounding_nudge)

    class assistance_paid(Money):
        value_type = float
        entity = Person
        definition_period = YEAR
        label = "What 医疗救助 pays (yuan)"

        def formula(person, period, parameters):
            p = parameters(period).assistance
            category = person("category", period)
            base = person("critical_illness_base", period) - person(
                "critical_illness_paid", period
            )
            deductible = by_enum(p.deductible, category, fancy)
            rate = by_enum(p.rate, category, fancy)
            paid = numpy.clip((base - deductible) * rate, 0, p.cap)
            paid = round_fen(paid, parameters(period).rounding_nudge)
            return numpy.where(by_enum(p.eligible, category, fancy), paid, 0)

    class family_share(Money):
        value_type = float
        entity = Person
        definition_period = YEAR
        label = "What is left for the family (yuan)"

        def formula(person, period, parameters):
            return (
                person("bill_total", period)
                - person("basic_paid", period)
                - person("critical_illness_paid", period)
                - person("assistance_paid", period)
            )

    system = TaxBenefitSystem([Person])
    for v in (
        level,
        category,
        class_a,
        class_b,
        class_c,
        bill_total,
        first_pay,
        in_scope,
        basic_paid,
        critical_illness_base,
        critical_illness_paid,
        assistance_paid,
        family_share,
    ):
        system.add_variable(v)
    system.load_parameters(str(PARAMETERS))
    return system


# The four amounts compared with tiercost's, in the order of OUTPUTS in run.py.
OUTPUTS = ("basic_paid", "critical_illness_paid", "assistance_paid", "family_share")
