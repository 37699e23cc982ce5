package org.workbench.kernel;

import java.util.Optional;

/**
 * Outcome of one cell: either success, with the display of the cell's last expression if it has
 * a value, or an error. Output written by the cell went to the {@link CellOutput} while it ran.
 *
 * @param value the rendered value of the cell's last expression; empty for statements,
 *              declarations, void calls, assignments and failed cells
 * @param error the failure; empty if the cell succeeded
 */
public record CellResult(Optional<MimeBundle> value, Optional<CellError> error) {
    /** @return true if the cell ran to completion */
    public boolean ok() {
        return error.isEmpty();
    }

    static CellResult success(MimeBundle value) {
        return new CellResult(Optional.ofNullable(value), Optional.empty());
    }

    static CellResult failure(CellError error) {
        return new CellResult(Optional.empty(), Optional.of(error));
    }
}
