import ArgumentParser
import RunbookKit

print("runbook")
