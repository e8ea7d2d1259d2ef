"""`flask --app app …` commands."""
from flask import Flask

from cli.advocates import advocates
from cli.blocks import block
from cli.dependencies import CliDependencies, install
from cli.flow import flow_diagram
from cli.hours import hours
from cli.keys import keys
from cli.outreach import outreach
from cli.report import report
from cli.simulate import simulate
from cli.twilio import twilio
from cli.two_factor import two_factor
from cli.understanding import understanding

advocates.add_command(two_factor)  # flask --app app advocates two-factor status|reset


def register_commands(app: Flask, dependencies: CliDependencies) -> None:
    install(app, dependencies)
    for command in (simulate, flow_diagram, keys, advocates, hours, outreach, report, twilio, block, understanding):
        app.cli.add_command(command)
