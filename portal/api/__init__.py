"""Plain HTTP routes served beside the glass wall on the same port."""
