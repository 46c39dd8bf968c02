import Reports
import Testing

@Suite("CSV")
struct CSVTests {
    @Test("Fields are quoted per RFC 4180, including CR LF (one Character in Swift)")
    func quoting() {
        #expect(CSVTable.quoted("plain") == "plain")
        #expect(CSVTable.quoted("a,b") == "\"a,b\"")
        #expect(CSVTable.quoted("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVTable.quoted("a\r\nb") == "\"a\r\nb\"")
        var table = CSVTable(header: ["x", "y"])
        table.append(["1", "activation=relu,seed=0"])
        #expect(table.text == "x,y\n1,\"activation=relu,seed=0\"\n")
        #expect(CSVTable.number(0.1) == "0.1" && CSVTable.number(.nan) == "nan")
    }

    @Test("Significant-digit formatting")
    func significant() {
        #expect(formatSignificant(0.77351, 3) == "0.774")
        #expect(formatSignificant(1.8, 3) == "1.80")
        #expect(formatSignificant(166.2, 3) == "166")
        #expect(formatSignificant(0, 3) == "0")
    }
}
