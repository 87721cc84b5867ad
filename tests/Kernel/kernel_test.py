"""Protocol conformance of the `tinierhar` Jupyter kernel with Debian's python3-jupyter-kernel-test 0.4.5.

Run after `dotnet run --project cli -- kernel install`:  /usr/bin/python3 tests/Kernel/kernel_test.py
(tests/Kernel/KernelConformanceTests.cs runs it; CI runs that.) Pager, clear_output and history are not offered
by the kernel (history replies are empty), so the harness skips those checks.
"""
import unittest

import jupyter_kernel_test


class TinierHarKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "tinierhar"
    language_name = "C#"
    file_extension = ".cs"

    code_hello_world = 'Console.WriteLine("hello, world");'
    code_stderr = 'Console.Error.WriteLine("to stderr");'

    completion_samples = [{"text": "Console.WriteLi", "matches": {"WriteLine"}}]

    complete_code_samples = ["1 + 1", "var x = 3;", "class A { }"]
    incomplete_code_samples = ["if (true) {", "var y = new[] { 1,"]
    invalid_code_samples = ["var = ;"]

    code_generate_error = 'throw new InvalidOperationException("expected failure");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"text"', "result": "text"},
    ]
    code_display_data = [
        {"code": 'display(new Microsoft.AspNetCore.Html.HtmlString("<b>bold</b>"));', "mime": "text/html"},
    ]

    supported_history_operations = ()
    code_inspect_sample = "Console.WriteLine"


if __name__ == "__main__":
    unittest.main(verbosity=2)
