def greet(name):
    return "hello, %s (from alpha)" % name
