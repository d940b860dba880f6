//! Renderers: SVG, PNG, PDF, EPS, plain text and terminal output.
