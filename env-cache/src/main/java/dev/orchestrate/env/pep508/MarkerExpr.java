package dev.orchestrate.env.pep508;

import java.util.List;

/** The parsed form of a marker: an and/or tree over comparisons. Internal to this package. */
sealed interface MarkerExpr permits MarkerExpr.And, MarkerExpr.Or, MarkerExpr.Compare {

    /** Every operand must hold; operands are never themselves {@code And} (they are flattened). */
    record And(List<MarkerExpr> operands) implements MarkerExpr {
        public And {
            operands = List.copyOf(operands);
        }
    }

    /** Some operand must hold; operands are never themselves {@code Or} (they are flattened). */
    record Or(List<MarkerExpr> operands) implements MarkerExpr {
        public Or {
            operands = List.copyOf(operands);
        }
    }

    /** {@code left op right}; the grammar allows a variable or a literal on either side. */
    record Compare(Operand left, Op op, Operand right) implements MarkerExpr {
    }

    sealed interface Operand permits Variable, Literal {
    }

    record Variable(MarkerVariable variable) implements Operand {
    }

    /** The text between the quotes, taken literally (the spec defines no escapes). */
    record Literal(String value) implements Operand {
    }

    enum Op {
        EQUAL("=="),
        NOT_EQUAL("!="),
        LESS_THAN("<"),
        LESS_THAN_OR_EQUAL("<="),
        GREATER_THAN(">"),
        GREATER_THAN_OR_EQUAL(">="),
        COMPATIBLE("~="),
        ARBITRARY_EQUAL("==="),
        IN("in"),
        NOT_IN("not in");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        String symbol() {
            return symbol;
        }
    }
}
